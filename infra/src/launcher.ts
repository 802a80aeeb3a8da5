import path from 'node:path';
import { int, loadSettings, oneOf, str } from '@agentmarket/config';
import { ensureServiceRuntime, onParentGone } from '@agentmarket/local-infra';
import { ensureDashboardBuilt } from './dashboard-build.ts';
import { launcherDefaults } from './launcher-defaults.ts';
import type { RunningStack } from './stack.ts';
import { restartPolicyOf, supervisionSettings } from './supervision-settings.ts';

/** Settings of `npm start` itself; each service reads its own on top. */
export const launcherSettings = {
  DATABASE_URL: str('use this PostgreSQL instead of the embedded one', ''),
  NATS_URL: str('use this NATS (with JetStream) instead of a nats-server child', ''),
  PORT: int('gateway HTTP port', 8000, { min: 1, max: 65535 }),
  DATA_DIR: str('where the embedded Postgres and NATS keep their data', '.data'),
  LOG_LEVEL: oneOf('log level of every service', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  ...supervisionSettings,
};

const settings = loadSettings(launcherSettings);
// Threads run on this process's V8 flags and allocator settings: it restarts itself with the services' ones first.
// Before the stack's modules are loaded (below), so that they are not loaded twice.
if (settings.SERVICE_HOSTING === 'threads') ensureServiceRuntime();
const { startStack } = await import('./stack.ts');
const started = Date.now();
const say = (line: string) => process.stdout.write(`[launcher] ${line}\n`);
const pretty = process.stdout.isTTY ? '1' : '0';

let stack: RunningStack | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping services, then NATS and Postgres…`);
  await stack?.stop();
  say('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// Its services stop by themselves if it disappears; it must likewise not outlive whatever started it.
onParentGone(() => void shutdown('parent exited'));

try {
  const dataDir = path.resolve(settings.DATA_DIR);
  const defaults = await launcherDefaults(dataDir, process.env);
  await ensureDashboardBuilt(say);
  stack = await startStack({
    hosting: settings.SERVICE_HOSTING,
    databaseUrl: settings.DATABASE_URL || undefined,
    natsUrl: settings.NATS_URL || undefined,
    dataDir,
    gatewayPort: settings.PORT,
    env: { ...defaults, LOG_LEVEL: settings.LOG_LEVEL, LOG_PRETTY: pretty },
    onOutput: (_name, line) => process.stdout.write(`${line}\n`),
    log: say,
    restartPolicy: restartPolicyOf(settings),
  });
  say(`AgentMarket is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`  dashboard ${stack.gatewayUrl}/`);
  say(`  API      ${stack.gatewayUrl}/api`);
  say(`  docs     ${stack.gatewayUrl}/docs  (OpenAPI: ${stack.gatewayUrl}/openapi.json)`);
  say(`  events   ${stack.gatewayUrl}/api/events`);
  say(`  health   ${stack.gatewayUrl}/readyz`);
  say(`  NATS     ${stack.natsUrl}`);
  // Each process is its own bus user; tools (nats CLI, scripts) use the operator's credentials.
  if (stack.natsAuth) say(`           users and permissions in ${path.dirname(stack.natsAuth.configFile)} (tools: operator.env)`);
  say(`  Postgres ${stack.databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
  say(`  admin    X-Admin-Key: ${defaults.ADMIN_API_KEY}  (kept in ${path.join(dataDir, 'admin-key')} unless ADMIN_API_KEY is set)`);
  say(
    `  every new agent receives ${Number(defaults.STARTER_GRANT_USD_CENTS) / 100} USD and ${defaults.STARTER_GRANT_SATS} SAT ` +
      `(at most ${defaults.STARTER_GRANTS_PER_IP_PER_DAY} grants per address and ${Number(defaults.STARTER_GRANT_DAILY_BUDGET_USD_CENTS) / 100} USD / ` +
      `${defaults.STARTER_GRANT_DAILY_BUDGET_SATS} SAT in all per day)`,
  );
  if (defaults.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true') {
    say('  webhooks may target http:// and private addresses (development; production allows https to public addresses only)');
  }
  if (defaults.A2A_ALLOW_PRIVATE_NETWORKS === 'true') {
    say("  agents' a2a_url may be http:// and private addresses (development; production allows https to public addresses only)");
  }
  say(
    settings.SERVICE_HOSTING === 'threads'
      ? `Every service runs as a worker thread of this process (pid ${process.pid}); SERVICE_HOSTING=processes runs each as a process of its own.`
      : 'Every service runs as a process of its own (SERVICE_HOSTING=processes).',
  );
  say(`A service that exits on its own is restarted (backoff ${settings.RESTART_BACKOFF_INITIAL_MS} ms doubling to ${settings.RESTART_BACKOFF_MAX_MS} ms).`);
  say('Ctrl-C stops everything.');
} catch (error) {
  say(`failed to start: ${(error as Error).message}`);
  await stack?.stop();
  process.exit(1);
}
