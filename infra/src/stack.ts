import path from 'node:path';
import { BUS_USERS, type BusUser } from '@agentmarket/contracts';
import {
  ensureDatabase,
  ensureNatsAuth,
  findFreePort,
  natsCredentialsEnv,
  startEmbeddedPostgres,
  startNatsServer,
  startServiceProcess,
  startServiceThread,
  type NatsAuth,
  type RestartPolicy,
  type RunningNats,
  type RunningPostgres,
  type ServiceProcess,
  warmCompileCache,
} from '@agentmarket/local-infra';
import { migrateAll } from './migrate.ts';
import { PROCESSES, SCHEMA_MODULES, type ProcessDefinition } from './service-registry.ts';
import { SupervisionBoard } from './supervision-board.ts';
import { restartPolicyFromEnv } from './supervision-settings.ts';

export interface StackOptions {
  /** Use this Postgres; otherwise an embedded one is started in `dataDir/postgres`. */
  databaseUrl?: string;
  /**
   * Use this NATS; otherwise a nats-server child is started in `dataDir/nats`,
   * with users and permissions generated into `dataDir/nats-auth`.
   */
  natsUrl?: string;
  /** The bus users of the given `natsUrl`: each process then connects as its own user. */
  natsAuth?: NatsAuth;
  dataDir: string;
  gatewayPort: number;
  /** Extra environment for every service process (LOG_LEVEL, rate limits...). */
  env?: Record<string, string>;
  /** Per-process environment overrides. */
  envFor?: Record<string, Record<string, string>>;
  onOutput?: (name: string, line: string) => void;
  /** The stack's own lines, supervision included (each unasked exit and restart); without it they go to onOutput as `supervisor`. */
  log?: (line: string) => void;
  /**
   * How a process that exits on its own is restarted; `false`: never. Default: the
   * RESTART_BACKOFF_* settings, read from `env` over process.env (so a test can set them like any other variable).
   */
  restartPolicy?: RestartPolicy | false;
  /**
   * How the services run: `processes`, each a child process (default; what the fault tests need, which kill
   * one service's process); `threads`, each a worker thread of this process (npm start, the bench: one Node
   * runtime for all, so its memory is not paid once per service). Supervision is the same either way.
   */
  hosting?: StackHosting;
}

export type StackHosting = 'processes' | 'threads';

export interface RunningStack {
  /** Whether the services are child processes or worker threads of this process (their `pid` is then this process's). */
  hosting: StackHosting;
  gatewayUrl: string;
  databaseUrl: string;
  natsUrl: string;
  /** The bus users (passwords, server config) when the stack's NATS has them; tools connect as `operator`. */
  natsAuth: NatsAuth | undefined;
  nats: RunningNats | undefined;
  postgres: RunningPostgres | undefined;
  /** By name; extra replicas are keyed `<name>#2`, `<name>#3`... */
  processes: Map<string, ServiceProcess>;
  /** Starts one more replica of a service (not the gateway, which owns its port) and waits until it is ready. */
  startReplica(name: string): Promise<ServiceProcess>;
  /** Starts another gateway on the same bus, on a port of its own, as a second replica behind a balancer would run. */
  startGatewayReplica(): Promise<{ url: string; process: ServiceProcess }>;
  stop(): Promise<void>;
}

const EMBEDDED_DATABASE = 'agentmarket';

/**
 * Brings the whole market up: infrastructure (given or embedded), migrations,
 * every service as its own process (or as a worker thread: `hosting`), and
 * the gateway last, once the services it fronts answer. Used by `npm start`,
 * the tests' harness and the bench.
 * Every process is supervised: one that exits without being asked to is
 * restarted with backoff (not NATS or Postgres, which are not ours to judge),
 * and the gateway's /readyz shows it as restarting meanwhile.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => {});
  const supervisorLog = options.log ?? ((line: string) => options.onOutput?.('supervisor', line));
  const restartPolicy = options.restartPolicy ?? restartPolicyFromEnv({ ...process.env, ...options.env });
  const hosting = options.hosting ?? 'processes';
  const startService = hosting === 'threads' ? startServiceThread : startServiceProcess;
  const board = new SupervisionBoard('gateway');
  let postgres: RunningPostgres | undefined;
  let nats: RunningNats | undefined;
  const processes = new Map<string, ServiceProcess>();
  // Set before anything is stopped: a process that exits meanwhile (Ctrl-C reaches every child of the
  // terminal at once, and the gateway is stopped first) must not be restarted.
  let stopping = false;
  const stop = async () => {
    stopping = true;
    const gateway = processes.get('gateway');
    await gateway?.stop();
    await Promise.all([...processes.values()].filter((p) => p !== gateway).map((p) => p.stop()));
    await nats?.stop();
    await postgres?.stop();
  };

  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      postgres = await startEmbeddedPostgres({ dataDir: path.join(options.dataDir, 'postgres'), port: 5432 });
      databaseUrl = await ensureDatabase(postgres.url, EMBEDDED_DATABASE);
      log(`embedded Postgres on port ${postgres.port} (data in ${path.join(options.dataDir, 'postgres')})`);
    }
    let natsUrl = options.natsUrl;
    let natsAuth = options.natsAuth;
    if (!natsUrl) {
      const authDir = path.join(options.dataDir, 'nats-auth');
      natsAuth = await ensureNatsAuth(authDir);
      nats = await startNatsServer({ storeDir: path.join(options.dataDir, 'nats'), port: 4222, configFile: natsAuth.configFile });
      natsUrl = nats.url;
      log(`nats-server with JetStream on ${nats.url} (store in ${path.join(options.dataDir, 'nats')}; users and permissions in ${authDir})`);
    }
    // Meanwhile every service's TypeScript goes into the compile cache, so none of them loads the type stripper.
    await Promise.all([
      migrateAll(databaseUrl, SCHEMA_MODULES, log),
      warmCompileCache(PROCESSES.map((definition) => definition.entry), { cacheDir: options.env?.NODE_COMPILE_CACHE, log: supervisorLog }),
    ]);

    const start = async (definition: ProcessDefinition, key = definition.name, givenPort?: number) => {
      const isGateway = definition.name === 'gateway';
      const port = givenPort ?? (isGateway ? options.gatewayPort : await findFreePort());
      const env: Record<string, string> = {
        NATS_URL: natsUrl,
        // Each process is its own bus user, with only the rights its declarations give it.
        ...(natsAuth ? natsCredentialsEnv(natsAuth, busUserOf(definition.name)) : {}),
        ...(isGateway ? { PORT: String(port) } : { OPS_PORT: String(port) }),
        ...('DATABASE_URL' in definition.settings ? { DATABASE_URL: databaseUrl } : {}),
        ...options.env,
        ...options.envFor?.[definition.name],
      };
      const running = await startService({
        name: definition.name,
        // A thread is named after its key (`jobs#2` for a replica): per-service CPU is read by thread name.
        threadName: key,
        entry: definition.entry,
        env,
        onOutput: options.onOutput,
        restartPolicy,
        mayRestart: () => !stopping,
        onSupervisionChange: (state) => board.update(key, state),
        onSupervisorLog: supervisorLog,
        // The gateway asks for the supervision state over IPC, to show restarting services in /readyz.
        ...(isGateway ? { onMessage: (message: unknown, reply: (message: unknown) => void) => board.onGatewayMessage(message, reply) } : {}),
        // The gateway is asked for something only it serves: a port taken meanwhile by another process's
        // ops server (whose /readyz also answers 200) must not pass for a started gateway.
        readyUrl: `http://127.0.0.1:${port}${isGateway ? '/openapi.json' : '/readyz'}`,
        // Generous: on a loaded 2-core machine a dozen Node processes starting at once can take a while.
        readyTimeoutMs: 60_000,
      });
      processes.set(key, running);
      return running;
    };
    await Promise.all(PROCESSES.filter((p) => p.name !== 'gateway').map((definition) => start(definition)));
    const gateway = PROCESSES.find((p) => p.name === 'gateway');
    if (gateway) await start(gateway);
    return {
      hosting,
      gatewayUrl: `http://127.0.0.1:${options.gatewayPort}`,
      databaseUrl,
      natsUrl,
      natsAuth,
      nats,
      postgres,
      processes,
      startReplica: async (name) => {
        const definition = PROCESSES.find((p) => p.name === name && p.name !== 'gateway');
        if (!definition) throw new Error(`No service named ${name} to replicate`);
        let index = 2;
        while (processes.has(`${name}#${index}`)) index++;
        return start(definition, `${name}#${index}`);
      },
      startGatewayReplica: async () => {
        const definition = PROCESSES.find((p) => p.name === 'gateway');
        if (!definition) throw new Error('No gateway process definition');
        let index = 2;
        while (processes.has(`gateway#${index}`)) index++;
        const port = await findFreePort();
        return { url: `http://127.0.0.1:${port}`, process: await start(definition, `gateway#${index}`, port) };
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

function busUserOf(processName: string): BusUser {
  if (!(BUS_USERS as readonly string[]).includes(processName)) throw new Error(`Process ${processName} has no NATS user: add it to BUS_USERS`);
  return processName as BusUser;
}
