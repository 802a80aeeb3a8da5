import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '@agentmarket/local-infra';

/** Runs `use` on a new database of the same Postgres server (for pgbench), dropped afterwards whatever happens. */
export async function withScratchDatabase<T>(adminUrl: string, prefix: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(adminUrl, name);
  try {
    return await use(url);
  } finally {
    await dropDatabase(adminUrl, name).catch(() => {});
  }
}
