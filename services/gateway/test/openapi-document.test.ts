import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_IDS } from '../src/openapi/operation-ids.ts';
import { SDK_DOCUMENT_FILE, SDK_TYPES_FILE, renderSdkArtifacts, type SdkArtifacts } from '../src/openapi/sdk-artifacts.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** A package's CLI, run on this Node (not whatever `node` the PATH finds first). */
const cli = (pkg: string, bin: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), bin);
// No telemetry, no update check, no network: the checks are the same offline.
const QUIET_ENV = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };

/** Runs a CLI and hands back its output whatever its exit code (a lint with findings exits non-zero). */
async function output(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(process.execPath, [file, ...args], { cwd: ROOT, env: QUIET_ENV, maxBuffer: 64 * 1024 * 1024 });
  } catch (failure) {
    const { stdout, stderr } = failure as { stdout?: string; stderr?: string };
    if (stdout === undefined) throw failure;
    return { stdout, stderr: stderr ?? '' };
  }
}

type Operation = { operationId?: string; security?: unknown[]; responses: Record<string, { $ref?: string }> };
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, { headers?: Record<string, unknown> }> };
};

describe('the OpenAPI document', () => {
  let artifacts: SdkArtifacts;
  let document: Document;
  let workDir: string;
  let documentFile: string;

  beforeAll(async () => {
    artifacts = await renderSdkArtifacts();
    document = JSON.parse(artifacts.document) as Document;
    workDir = await mkdtemp(path.join(tmpdir(), 'openapi-document-'));
    documentFile = path.join(workDir, 'openapi.json');
    await writeFile(documentFile, artifacts.document);
  });
  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([route, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${route}`, operation })),
    );

  it('is OpenAPI 3.1, with a chosen, unique operationId on every operation', () => {
    expect(document.openapi).toBe('3.1.0');
    const names = operations().map(({ name }) => name);
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    // A new route gets its public name on purpose, in openapi/operation-ids.ts, not a derived one.
    expect(names.filter((name) => OPERATION_IDS[name] === undefined)).toEqual([]);
    expect(ids).toEqual(names.map((name) => OPERATION_IDS[name]));
  });

  it('documents 429 with Retry-After on every operation, and the error shape on every error', () => {
    for (const { name, operation } of operations()) {
      const tooMany = operation.responses['429']?.$ref?.split('/').pop();
      expect(tooMany, name).toBeDefined();
      expect(Object.keys(document.components.responses[tooMany!]?.headers ?? {}), name).toContain('Retry-After');
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) expect(response.$ref, `${name} ${status}`).toMatch(/^#\/components\/responses\//);
      }
    }
  });

  it('passes redocly lint (recommended rules) without an error', async () => {
    const { stdout } = await output(cli('@redocly/cli', 'bin/cli.js'), ['lint', documentFile, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json']);
    const report = JSON.parse(stdout) as { totals: { errors: number }; problems: { ruleId: string; severity: string; message: string }[] };
    expect(report.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('passes Spectral (spectral:oas) without an error', async () => {
    const { stdout } = await output(cli('@stoplight/spectral-cli', 'dist/index.js'), [
      'lint',
      documentFile,
      '--ruleset',
      path.join(ROOT, '.spectral.yaml'),
      '--format',
      'json',
    ]);
    const findings = JSON.parse(stdout) as { code: string; severity: number; message: string; path: string[] }[];
    // Severity 0 is an error; warnings (1) and hints may remain.
    expect(findings.filter((finding) => finding.severity === 0)).toEqual([]);
  });

  it('gives openapi-typescript types that compile under strict TypeScript', async () => {
    await writeFile(path.join(workDir, 'openapi.ts'), artifacts.types);
    await writeFile(
      path.join(workDir, 'tsconfig.json'),
      // skipLibCheck: the generated file is checked, TypeScript's own lib files need not be again.
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', types: [], skipLibCheck: true }, files: ['openapi.ts'] }),
    );
    const { stdout, stderr } = await output(cli('typescript', 'bin/tsc'), ['-p', path.join(workDir, 'tsconfig.json')]);
    expect(`${stdout}${stderr}`.trim()).toBe('');
  });

  it('is what libs/sdk holds: the committed document and types are current (npm run openapi:generate)', async () => {
    expect(await readFile(SDK_DOCUMENT_FILE, 'utf8'), 'libs/sdk/openapi.json is stale: run npm run openapi:generate').toBe(artifacts.document);
    expect(await readFile(SDK_TYPES_FILE, 'utf8'), 'libs/sdk/src/generated/openapi.ts is stale: run npm run openapi:generate').toBe(artifacts.types);
  });
});
