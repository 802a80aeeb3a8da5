import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canConnectPostgres, dropDatabase, ensureDatabase, startEmbeddedPostgres } from '../src/index.ts';
import { createPgClient } from '../src/pg-client.ts';

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const client = createPgClient({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rows.length > 0;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  let tempDir: string | undefined;
  afterAll(async () => {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  it('initialises once, then reuses the data dir on the next start', { timeout: 60_000 }, async () => {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'local-infra-pg-'));
    // mkdtemp makes 0700 dirs; as root, postgres runs as the postgres user and must be able to enter it.
    await chmod(tempDir, 0o755);
    const dataDir = path.join(tempDir, 'data');
    const initLog: string[] = [];
    const exitListenersBefore = process.listenerCount('exit');

    const first = await startEmbeddedPostgres({ dataDir, port: 0, logger: (line) => initLog.push(line) });
    try {
      expect(await canConnectPostgres(first.url)).toBe(true);
      const dbUrl = await ensureDatabase(first.url, 'local_infra_test');
      expect(await ensureDatabase(first.url, 'local_infra_test')).toBe(dbUrl);
      expect(dbUrl).toBe(`postgres://postgres:postgres@127.0.0.1:${first.port}/local_infra_test`);
      expect(await canConnectPostgres(dbUrl)).toBe(true);
    } finally {
      await first.stop();
    }
    expect(await canConnectPostgres(first.url, 500)).toBe(false);
    // The library's own exit hook would reject on exit (it calls a `done` it is not given).
    expect(process.listenerCount('exit')).toBe(exitListenersBefore);
    expect(initLog.some((line) => line.includes('initdb') || line.includes('Success'))).toBe(true);

    const restartLog: string[] = [];
    const second = await startEmbeddedPostgres({ dataDir, port: 0, logger: (line) => restartLog.push(line) });
    try {
      expect(restartLog.some((line) => line.includes('Success'))).toBe(false);
      expect(await databaseExists(second.url, 'local_infra_test')).toBe(true);
      await dropDatabase(second.url, 'local_infra_test');
      expect(await databaseExists(second.url, 'local_infra_test')).toBe(false);
    } finally {
      await second.stop();
    }
  });

  it('stops quietly after postgres was killed and restarts over its stale pid file', { timeout: 60_000 }, async () => {
    if (!tempDir) throw new Error('runs after the initialising test');
    const dataDir = path.join(tempDir, 'data');
    const crashed = await startEmbeddedPostgres({ dataDir, port: 0 });
    const postmasterPid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(postmasterPid, 'SIGKILL');
    await crashed.stop();

    const recovered = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      expect(await canConnectPostgres(recovered.url)).toBe(true);
    } finally {
      await recovered.stop();
    }
  });

  it('rejects database names that would need quoting', async () => {
    await expect(ensureDatabase('postgres://x:y@127.0.0.1:1/postgres', 'Bad-Name')).rejects.toThrow('Invalid database name');
  });
});
