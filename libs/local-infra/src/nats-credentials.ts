import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUS_USERS, type BusUser } from '@agentmarket/contracts';
import { renderNatsAuthConfig, type BusPasswords } from './nats-config.ts';

/** The nats-server config file a credentials directory holds (include it, or pass it with `-c`). */
export const NATS_AUTH_CONFIG_FILE = 'nats-server.conf';

export interface NatsAuth {
  /** Absolute path of the generated nats-server config (authorization block only). */
  configFile: string;
  passwords: BusPasswords;
}

/** `<dir>/<user>.env`: the NATS_USER and NATS_PASSWORD of one process, as compose's env_file and `kubectl --from-env-file` read them. */
export function credentialsFileOf(dir: string, user: BusUser): string {
  return path.join(dir, `${user}.env`);
}

/**
 * Writes the bus users' credentials and the nats-server config into `dir`
 * (mode 0600, directory 0700). A password already there is kept, so a second
 * `npm start` reuses `.data/`; a missing one is made up (32 random bytes).
 * The config is rewritten every time: permissions follow the code.
 */
export async function ensureNatsAuth(dir: string, options: { noAuthUser?: BusUser } = {}): Promise<NatsAuth> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const passwords = {} as BusPasswords;
  for (const user of BUS_USERS) {
    const file = credentialsFileOf(dir, user);
    const existing = await readPassword(file);
    passwords[user] = existing ?? randomBytes(32).toString('base64url');
    if (existing === undefined) await writePrivate(file, `NATS_USER=${user}\nNATS_PASSWORD=${passwords[user]}\n`);
  }
  const configFile = path.resolve(dir, NATS_AUTH_CONFIG_FILE);
  await writePrivate(configFile, renderNatsAuthConfig({ passwords, ...options }));
  return { configFile, passwords };
}

/** The environment that makes a process connect as `user`. */
export function natsCredentialsEnv(auth: NatsAuth, user: BusUser): Record<string, string> {
  return { NATS_USER: user, NATS_PASSWORD: auth.passwords[user] };
}

async function readPassword(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^NATS_PASSWORD=(.+)$/m.exec(text);
  return match?.[1]?.trim() || undefined;
}

async function writePrivate(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600 });
  // writeFile's mode applies only to a new file.
  await chmod(file, 0o600);
}
