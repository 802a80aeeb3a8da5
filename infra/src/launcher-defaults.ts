import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What `npm start` gives a fresh market on top of the services' production
 * defaults, unless the environment says otherwise: a starter grant for every
 * new agent (100.00 USD and 1,000,000 SAT, so a new market can trade at once)
 * and an admin key, kept in the data directory so it survives restarts.
 */
export async function launcherDefaults(dataDir: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  return {
    STARTER_GRANT_USD_CENTS: env.STARTER_GRANT_USD_CENTS || '10000',
    STARTER_GRANT_SATS: env.STARTER_GRANT_SATS || '1000000',
    ADMIN_API_KEY: env.ADMIN_API_KEY || (await localAdminKey(dataDir)),
  };
}

async function localAdminKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'admin-key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const key = `agmkt_admin_${randomBytes(24).toString('hex')}`;
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600 });
    return key;
  }
}
