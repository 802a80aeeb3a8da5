import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmCompileCache } from './compile-cache.ts';
import { SERVICE_NODE_FLAGS } from './service-node-options.ts';

let workDir: string;
let cacheDir: string;
let entry: string;
let ranMarker: string;

// An entry with a side effect, importing another .ts file, a built-in and a module with no named imports.
beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'compile-cache-spec-'));
  cacheDir = path.join(workDir, 'cache');
  entry = path.join(workDir, 'entry.ts');
  ranMarker = path.join(workDir, 'ran');
  await writeFile(path.join(workDir, 'helper.ts'), 'export const greeting: string = "hello";\n');
  await writeFile(path.join(workDir, 'bare.ts'), 'const unused: number = 1;\nexport {};\n');
  await writeFile(
    entry,
    [
      "import './bare.ts';",
      "import { writeFileSync } from 'node:fs';",
      "import { greeting } from './helper.ts';",
      `writeFileSync(${JSON.stringify(ranMarker)}, greeting);`,
      // Tells the spec whether this process had to load Node's TypeScript stripper.
      "console.log(JSON.stringify({ stripperLoaded: process.moduleLoadList.some((name: string) => name.includes('amaro')) }));",
    ].join('\n'),
  );
});
afterAll(async () => rm(workDir, { recursive: true, force: true }));

function run(file: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    // With the services' V8 flags, as they are started: a cache entry is only used under the flags it was compiled with.
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, file], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${file} exited with ${code}`))));
  });
}

describe('warmCompileCache', () => {
  it('strips the whole graph into the cache without running it, and a process started on that cache never loads the stripper', async () => {
    const lines: string[] = [];
    await warmCompileCache([entry], { cacheDir, log: (line) => lines.push(line) });
    expect(lines).toEqual([]);
    expect(existsSync(ranMarker)).toBe(false);

    const output = await run(entry, { NODE_COMPILE_CACHE: cacheDir });
    expect(JSON.parse(output)).toEqual({ stripperLoaded: false });
    expect(existsSync(ranMarker)).toBe(true);
  });

  it('without the cache the same process loads the stripper (what the warm-up saves)', async () => {
    const output = await run(entry, { NODE_COMPILE_CACHE: path.join(workDir, 'empty-cache') });
    expect(JSON.parse(output)).toEqual({ stripperLoaded: true });
  });

  it('never fails the caller: an entry that does not exist only costs the warm-up', async () => {
    const lines: string[] = [];
    await warmCompileCache([path.join(workDir, 'missing.ts')], { cacheDir, log: (line) => lines.push(line) });
    expect(lines).toEqual([]);
  });
});
