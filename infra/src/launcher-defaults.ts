import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What `npm start` gives a fresh market on top of the services' production
 * defaults, unless the environment says otherwise: a starter grant for every
 * new agent (100.00 USD and 1,000,000 SAT, so a new market can trade at once)
 * an admin key and a JWT keyring for people's accounts, kept in the data
 * directory so they survive restarts.
 */
export async function launcherDefaults(dataDir: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  return {
    STARTER_GRANT_USD_CENTS: env.STARTER_GRANT_USD_CENTS || '10000',
    STARTER_GRANT_SATS: env.STARTER_GRANT_SATS || '1000000',
    // The demo grant is bounded: 10,000.00 USD and 100,000,000 SAT a day in all (100 agents' worth), 20 grants per address a day.
    STARTER_GRANT_DAILY_BUDGET_USD_CENTS: env.STARTER_GRANT_DAILY_BUDGET_USD_CENTS || '1000000',
    STARTER_GRANT_DAILY_BUDGET_SATS: env.STARTER_GRANT_DAILY_BUDGET_SATS || '100000000',
    STARTER_GRANTS_PER_IP_PER_DAY: env.STARTER_GRANTS_PER_IP_PER_DAY || '20',
    // Development limits: one address (the developer's, the demo's) may register a few hundred agents an hour and make
    // a few thousand requests a minute; production defaults are strict (docs/operators/configuration.md).
    REGISTRATIONS_PER_IP_PER_HOUR: env.REGISTRATIONS_PER_IP_PER_HOUR || '500',
    LOGINS_PER_IP_PER_HOUR: env.LOGINS_PER_IP_PER_HOUR || '1000',
    RATE_LIMIT_PER_IP: env.RATE_LIMIT_PER_IP || '3000',
    RATE_LIMIT_PER_KEY: env.RATE_LIMIT_PER_KEY || '6000',
    SSE_MAX_STREAMS_PER_IP: env.SSE_MAX_STREAMS_PER_IP || '50',
    // Demos show auto-completion within minutes; production gives a buyer at least 24 h to look at a delivery.
    JOB_MIN_AUTO_COMPLETE_SECONDS: env.JOB_MIN_AUTO_COMPLETE_SECONDS || '60',
    // Local development: webhooks may go to http://localhost and other private addresses (production: https, public only).
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS || 'true',
    // Likewise an agent's a2a_url (identity checks it, the executor sends hires there): a local A2A agent can sell.
    A2A_ALLOW_PRIVATE_NETWORKS: env.A2A_ALLOW_PRIVATE_NETWORKS || 'true',
    ADMIN_API_KEY: env.ADMIN_API_KEY || (await localSecret(dataDir, 'admin-key', () => `agmkt_admin_${randomBytes(24).toString('hex')}`)),
    // identity signs people's tokens and the gateway verifies them: one keyring for both.
    JWT_KEYS: env.JWT_KEYS || (await localSecret(dataDir, 'jwt-keys', () => `local:${randomBytes(32).toString('hex')}`)),
  };
}

/** A secret generated once and kept in the data directory (mode 600), so it survives restarts. */
async function localSecret(dataDir: string, name: string, generate: () => string): Promise<string> {
  const file = path.join(dataDir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = generate();
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}
