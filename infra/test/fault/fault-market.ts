import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ensureDatabase,
  findFreePort,
  startEmbeddedPostgres,
  startNatsServer,
  type RunningNats,
  type RunningPostgres,
} from '@agentmarket/local-infra';
import { startStack, type RunningStack } from '../../src/index.ts';
import { TEST_STACK_ENV } from '@agentmarket/testing';

/** How long the gateway waits for a service before it answers 503 (short: outages turn into 503s quickly). */
export const BUS_TIMEOUT_MS = 3000;
/** How long a repeat waits for the first request with its key before it is told to come back later. */
export const IDEMPOTENCY_WAIT_MS = 5000;
/**
 * After this long the claim of a keyed request whose gateway died is taken
 * over by a repeat (default 30 s; shortened so the gateway scenario's retry
 * does not spend half the suite's time budget waiting for it).
 */
export const IDEMPOTENCY_LEASE_MS = 5000;

export interface FaultMarket {
  stack: RunningStack;
  /** Our own Postgres: the only one the suite may freeze. */
  postgres: RunningPostgres;
  postgresDataDir: string;
  /** Our own nats-server: the only one the suite may kill. */
  nats: RunningNats;
  /** Every output line of every process, to quote in the report when something fails. */
  output: string[];
  stop(): Promise<void>;
}

/**
 * The whole market on infrastructure the suite owns outright: an embedded
 * Postgres and a nats-server of its own (the machine's shared ones must
 * never be frozen or killed), a database, every service and the gateway.
 */
export async function startFaultMarket(): Promise<FaultMarket> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-fault-'));
  // As root, Postgres runs as the postgres user, which must be able to enter the data dir's parent.
  await chmod(workDir, 0o755);
  const postgresDataDir = path.join(workDir, 'postgres');
  const postgres = await startEmbeddedPostgres({ dataDir: postgresDataDir, port: await findFreePort() });
  const nats = await startNatsServer({ storeDir: path.join(workDir, 'nats'), port: await findFreePort() });
  const databaseUrl = await ensureDatabase(postgres.url, 'fault_market');
  const output: string[] = [];
  const start = async () =>
    startStack({
      databaseUrl,
      natsUrl: nats.url,
      dataDir: workDir,
      gatewayPort: await findFreePort(),
      env: {
        ...TEST_STACK_ENV,
        // Only dollars: the audit counts USD grants; a short bus deadline turns outages into 503s quickly.
        STARTER_GRANT_SATS: '0',
        BUS_TIMEOUT_MS: String(BUS_TIMEOUT_MS),
        IDEMPOTENCY_WAIT_MS: String(IDEMPOTENCY_WAIT_MS),
        IDEMPOTENCY_LEASE_MS: String(IDEMPOTENCY_LEASE_MS),
      },
      onOutput: (name, line) => output.push(`[${name}] ${line}`),
    });
  let stack: RunningStack;
  try {
    // A free port found is not a port kept: another process may take the gateway's in between. One more try.
    stack = await start().catch(() => start());
  } catch (error) {
    await nats.stop();
    await postgres.stop();
    throw new Error(`${(error as Error).message}\n${output.slice(-30).join('\n')}`);
  }
  return {
    stack,
    postgres,
    postgresDataDir,
    nats,
    output,
    async stop() {
      await stack.stop();
      await nats.stop();
      await postgres.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
