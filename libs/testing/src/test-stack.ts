import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  canConnectPostgres,
  dropDatabase,
  ensureDatabase,
  ensureNatsAuth,
  findFreePort,
  startEmbeddedPostgres,
  startNatsServer,
  type RunningNats,
  type RunningPostgres,
} from '@agentmarket/local-infra';
import { startStack, type RunningStack, type StackHosting } from '@agentmarket/infra';

/** The Postgres server tests create their databases on; an embedded one is started when it is unreachable. */
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestStack extends RunningStack {
  nats: RunningNats;
  /** Every output line of every service process, for diagnosing a failure. */
  output: string[];
}

let sharedEmbedded: Promise<RunningPostgres> | undefined;

/** The X-Admin-Key of every test stack. */
export const TEST_ADMIN_KEY = 'agmkt_admin_test_key';
/** The JWT keyring of every test stack (identity signs, the gateway verifies): one key, id `test`. */
export const TEST_JWT_KEYS = 'test:agentmarket-test-secret-0123456789abcdef';

/**
 * The settings every test stack starts with (a stack of its own may take
 * them and override some): quiet logs, limits out of the way, money to
 * spend, the test admin key and JWT keyring, and a quick hire recovery.
 */
export const TEST_STACK_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  // Two test files run at once, each a stack of seven pooled processes, on
  // one Postgres (max_connections 100 by default). At the default 10 per process a busy stack holds 77
  // connections (money-crash), two of them ask for ~150 and get "sorry, too many clients already". At 5:
  // 42 per stack, 84 for two, room left for the tests' own connections.
  DB_POOL_SIZE: '5',
  // The gateway's wait for a service. On two cores shared by two stacks (and whatever else runs), a
  // burst can hold an answer past the default 5 s; the tests check behaviour, not latency, and a
  // test about timeouts sets its own (resilience, money-crash).
  BUS_TIMEOUT_MS: '15000',
  RATE_LIMIT_PER_KEY: '100000',
  RATE_LIMIT_PER_IP: '100000',
  // Every test request comes from 127.0.0.1: suites register hundreds of agents and log in often.
  REGISTRATIONS_PER_IP_PER_HOUR: '100000',
  LOGINS_PER_IP_PER_HOUR: '100000',
  SSE_MAX_STREAMS_PER_IP: '1000',
  SSE_MAX_STREAMS_PER_CALLER: '1000',
  SHUTDOWN_TIMEOUT_MS: '5000',
  // Every test agent can pay for plenty of jobs; tests about money set their own.
  STARTER_GRANT_USD_CENTS: '100000',
  STARTER_GRANT_SATS: '10000000',
  // The grant policy's limits out of the way (all test agents register from 127.0.0.1); its own test sets small ones.
  STARTER_GRANT_DAILY_BUDGET_USD_CENTS: '1000000000000',
  STARTER_GRANT_DAILY_BUDGET_SATS: '1000000000000',
  STARTER_GRANTS_PER_IP_PER_DAY: '1000000',
  ADMIN_API_KEY: TEST_ADMIN_KEY,
  JWT_KEYS: TEST_JWT_KEYS,
  JWT_SIGNING_KEY_ID: 'test',
  // Hosted services: the models the tests and the bench name, free, and no daily spend cap in the way; the
  // minimum fee off so that fee figures stay bps-only (tests about cost controls and the minimum fee set their own).
  HOSTED_MODELS: 'gpt-4o-mini:0:0,gpt-4o:0:0,bench-model:0:0',
  HOSTED_SELLER_DAILY_CAP_USD: '1000000',
  PLATFORM_MIN_FEE_USD_CENTS: '0',
  PLATFORM_MIN_FEE_SATS: '0',
  HIRE_RECOVERY_AFTER_SECONDS: '2',
  HIRE_RECOVERY_POLL_MS: '500',
  // Timer tests ask for 1-second windows; the platform's minimums (24 h to look at a delivery, 5 min to start)
  // would clamp them. Tests about the minimums set their own.
  JOB_MIN_AUTO_COMPLETE_SECONDS: '1',
  JOB_MIN_ACCEPT_WINDOW_SECONDS: '1',
  // Test receivers listen on 127.0.0.1 over http; the production refusal has its own stack (services/webhooks/test).
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  A2A_ALLOW_PRIVATE_NETWORKS: 'true',
};

async function adminUrl(workDir: string): Promise<string> {
  if (await canConnectPostgres(ADMIN_URL)) return ADMIN_URL;
  sharedEmbedded ??= (async () => {
    const dataDir = path.join(workDir, 'postgres');
    await chmod(workDir, 0o755);
    return startEmbeddedPostgres({ dataDir });
  })();
  return (await sharedEmbedded).url;
}

/**
 * The whole market on private infrastructure: its own nats-server on a free
 * port, a fresh database, every service as a real process (or as a worker
 * thread of this one, with `hosting: 'threads'`), and the gateway
 * on a free port. Nothing is shared with a running `npm start` or another test.
 */
/** Settings of a test stack beyond TEST_STACK_ENV: for every process, and per process by name. */
export interface TestStackOptions {
  env?: Record<string, string>;
  envFor?: Record<string, Record<string, string>>;
  /** Child processes by default (fault tests kill one service's process); `threads` hosts every service in this process. */
  hosting?: StackHosting;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-test-'));
  const admin = await adminUrl(workDir);
  const databaseName = `am_test_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await ensureDatabase(admin, databaseName);
  const output: string[] = [];
  // The bus as in production: every process connects as its own NATS user with only the permissions its
  // declarations give it (a missing one shows as a nats-server "… Violation" line in `output`). Test code that
  // connects without credentials (drain, fixtures, observers) is the operator, with full rights.
  const natsAuth = await ensureNatsAuth(path.join(workDir, 'nats-auth'), { noAuthUser: 'operator' });
  const nats = await startNatsServer({
    storeDir: path.join(workDir, 'nats'),
    configFile: natsAuth.configFile,
    logger: (line) => {
      if (line.includes('Violation')) output.push(`[nats-server] ${line}`);
    },
  });
  let stack: RunningStack;
  // Free ports are found, then bound: a parallel test file can take one in between. One more try with new ports.
  const start = async () =>
    startStack({
      databaseUrl,
      natsUrl: nats.url,
      natsAuth,
      dataDir: workDir,
      gatewayPort: await findFreePort(),
      env: { ...TEST_STACK_ENV, ...options.env },
      envFor: options.envFor,
      hosting: options.hosting ?? 'processes',
      onOutput: (name, line) => output.push(`[${name}] ${line}`),
    });
  try {
    stack = await start().catch(() => start());
  } catch (error) {
    await nats.stop();
    await dropDatabase(admin, databaseName).catch(() => {});
    throw new Error(`${(error as Error).message}\n${output.slice(-30).join('\n')}`);
  }
  return {
    ...stack,
    nats,
    output,
    async stop() {
      // Error lines of the services say why a request failed with 500, a consumer dead-lettered or a (re)start failed: show them.
      const errors = output.filter((line) => /"level":(50|60)|Violation| failed to start: /.test(line));
      if (errors.length > 0) console.error(`[test stack] ${errors.length} error log line(s), the last ones:\n${errors.slice(-10).join('\n')}`);
      await stack.stop();
      await nats.stop();
      await dropDatabase(admin, databaseName).catch(() => {});
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
