import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUBJECTS } from '@agentmarket/contracts';
import { PROCESSES } from '../src/service-registry.ts';
import { SETTINGS_TABLE_FILE, renderSettingsTable, withTable } from '../src/settings-table.ts';
import { gatewayOpenApi, type OpenApiDocument } from './gateway-openapi.ts';
import { ACCESS_SCHEMES, documentedRoutes } from './route-table.ts';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const readme = read('README.md');
const configuration = readFileSync(SETTINGS_TABLE_FILE, 'utf8');
const apiGuide = read('docs/agents/api.md');

describe('README', () => {
  it('gives the two commands and names every service', () => {
    for (const text of ['npm ci', 'npm start', 'npm test', ...PROCESSES.map((process) => process.name)]) expect(readme).toContain(text);
  });

  it('states the one Node requirement the manifest declares', () => {
    const engines: string = JSON.parse(read('package.json')).engines.node;
    expect(readme).toContain(`\`engines\`: \`${engines}\``);
  });
});

const root = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE_DIRS = ['libs', 'services', 'apps'].flatMap((group) => readdirSync(path.join(root, group)).map((name) => `${group}/${name}`)).concat('infra', 'bench');
const markdownFiles = ['README.md', 'CHANGELOG.md', ...readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

describe('the documentation stands alone', () => {
  it('links only to files of this repository, and every one exists', () => {
    const broken = markdownFiles.flatMap((file) =>
      [...read(file).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
        .map((match) => match[1] ?? '')
        .filter((target) => /^[a-z]+:/i.test(target) || !existsSync(path.join(root, path.dirname(file), target)))
        .map((target) => `${file} → ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const packageOf = (workspace: string | undefined) => {
      const dir = workspace ? PACKAGE_DIRS.find((candidate) => JSON.parse(read(`${candidate}/package.json`)).name === workspace) : '.';
      return dir ? (JSON.parse(read(`${dir}/package.json`)) as { scripts?: Record<string, string> }) : undefined;
    };
    const documentationFiles = [...markdownFiles, ...PACKAGE_DIRS.map((dir) => `${dir}/README.md`).filter((file) => existsSync(path.join(root, file)))];
    const missing = documentationFiles.flatMap((file) =>
      [...read(file).matchAll(/npm run ([a-z][\w:-]*)(?: -w (@agentmarket\/[\w-]+))?/g)]
        .filter(([, script, workspace]) => !packageOf(workspace)?.scripts?.[script ?? ''])
        .map(([command]) => `${file}: ${command}`),
    );
    expect(missing).toEqual([]);
  });

  it('points to no document outside it and to no issue number', () => {
    // The brief's own documents (upper case; the guide's api.md is ours) and the tracker's numbers mean nothing to a reader.
    const outside = [/\.\.\/shared/, /\b(DESIGN|STACK|API)\.md/, /\bissues? #?\d+/i];
    expect(markdownFiles.filter((file) => outside.some((pattern) => pattern.test(read(file))))).toEqual([]);
  });
});

describe('the settings table (docs/operators/configuration.md)', () => {
  it('documents every environment variable a process reads', () => {
    const names = new Set(PROCESSES.flatMap((process) => Object.keys(process.settings)));
    const undocumented = [...names].filter((name) => !configuration.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });

  it('is the one generated from the declarations (run npm run docs:settings)', async () => {
    expect(configuration).toBe(withTable(configuration, await renderSettingsTable()));
  });
});

describe("the route table's access column (docs/agents/api.md)", () => {
  let document: OpenApiDocument;
  beforeAll(async () => {
    document = await gatewayOpenApi();
  });

  const schemesOf = (method: string, path: string) => {
    const operation = document.paths[path]?.[method.toLowerCase()];
    if (!operation) return undefined;
    return [...new Set((operation.security ?? []).flatMap((requirement) => Object.keys(requirement)))].sort();
  };

  it('gives each documented route the access its registration declares', () => {
    const routes = documentedRoutes(apiGuide);
    expect(routes.length).toBeGreaterThan(40);
    const wrong = routes
      .filter((route) => route.path.startsWith('/api/'))
      .map((route) => ({ route: `${route.method} ${route.path}`, documented: route.access, expected: ACCESS_SCHEMES[route.access], declared: schemesOf(route.method, route.path) }))
      .filter(({ expected, declared }) => expected === undefined || declared === undefined || expected.join() !== declared.join());
    expect(wrong).toEqual([]);
  });

  it('documents every /api operation of the OpenAPI document', () => {
    const documented = new Set(documentedRoutes(apiGuide).map((route) => `${route.method} ${route.path}`));
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.filter((operation) => operation.includes(' /api/') && !documented.has(operation))).toEqual([]);
  });
});

describe("the architecture's table of services and subjects (docs/architecture.md)", () => {
  it("lists every request subject in its service's row", () => {
    const rows = new Map(
      read('docs/architecture.md')
        .split('\n')
        .filter((line) => line.startsWith('| '))
        .map((line) => [line.split('|')[1]?.trim() ?? '', line] as const),
    );
    // A row names a subject in full (`jobs.bids.create`) or after its family (`jobs.bids.create`, `.list`).
    const listed = (row: string, subject: string) => {
      const family = subject.slice(0, subject.lastIndexOf('.') + 1);
      return row.includes(`\`${subject}\``) || (row.includes(`\`${family}`) && row.includes(`\`${subject.slice(family.length - 1)}\``));
    };
    const missing = Object.entries(SUBJECTS).flatMap(([service, subjects]) =>
      Object.values(subjects)
        .filter((subject) => !listed(rows.get(service) ?? '', subject))
        .map((subject) => `${service}: ${subject}`),
    );
    expect(missing).toEqual([]);
  });
});
