import pg from 'pg';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { CostSnapshot, CpuSample } from './cost.ts';
import { childrenOf, clockTicksPerSecond, readCmdline, readProcStat, readThreadStats, type ProcStat } from './proc-stat.ts';

/** What the probe needs of a running stack (a TestStack is one). */
export interface ProbedStack {
  /** Given, every service is a worker thread of that process, named after its key (see startStack). */
  hostPid?: number;
  processes: Map<string, { pid: number | undefined }>;
  nats: { pid: number };
  natsUrl: string;
  natsAuth?: { passwords: { operator: string } } | undefined;
  databaseUrl: string;
}

export const POSTGRES_BACKENDS = 'postgres backends';
export const POSTGRES_OTHER = 'postgres other';
export const DRIVER = 'load generator (bench)';
/** With the services as threads: the host's threads that are no service's (main thread, V8's GC and compiler helpers, libuv's pool). */
export const HOST_OTHER = 'host: other threads';

export interface CostProbe {
  ticksPerSecond: number;
  /** The Postgres server's postmaster when it runs on this machine (its processes are then measured and pinned). */
  postmasterPid: number | undefined;
  snapshot(): Promise<CostSnapshot>;
  /** Every pid of the stack right now: our processes, nats-server, and every Postgres process (postmaster first). */
  stackPids(): Promise<{ name: string; pid: number }[]>;
  close(): Promise<void>;
}

const ticksOf = (stat: ProcStat) => stat.utime + stat.stime;
const keyOf = (stat: ProcStat) => `${stat.pid}:${stat.starttime}`;

/**
 * The CPU of a process hosting the services as threads, thread by thread: a
 * service's thread (named after its key, which the kernel cuts to 15
 * characters) under its service, replicas under theirs; every other thread
 * (the main thread's supervision, V8's GC and compiler helpers, libuv's pool,
 * shared by all the services) as one group.
 */
export function hostThreadSamples(threads: ProcStat[], hostPid: number, serviceKeys: string[]): CpuSample[] {
  const serviceOfThread = new Map(serviceKeys.map((key) => [key.slice(0, 15), key.replace(/#\d+$/, '')]));
  return threads.map((thread) => ({ group: serviceOfThread.get(thread.comm) ?? HOST_OTHER, key: `${hostPid}/${keyOf(thread)}`, ticks: ticksOf(thread) }));
}

/** The Postgres server's maintenance database: the probe's own queries must not count as the stack's transactions. */
function maintenanceUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

export async function startCostProbe(stack: ProbedStack): Promise<CostProbe> {
  const databaseName = decodeURIComponent(new URL(stack.databaseUrl).pathname.slice(1));
  const db = new pg.Client({ connectionString: maintenanceUrl(stack.databaseUrl), application_name: 'bench-cost-probe' });
  db.on('error', () => undefined);
  await db.connect();
  let connection: NatsConnection | undefined;
  let manager: JetStreamManager | undefined;
  try {
    connection = await connect({
      servers: stack.natsUrl.split(',').map((server) => server.trim()),
      name: 'bench-cost-probe',
      ...(stack.natsAuth ? { user: 'operator', pass: stack.natsAuth.passwords.operator } : {}),
    });
    manager = await jetstreamManager(connection);
  } catch (error) {
    await db.end().catch(() => {});
    throw error;
  }
  const ticksPerSecond = await clockTicksPerSecond();

  // Our own backend's parent is the postmaster, if the server runs on this machine (not in a container or elsewhere).
  const { rows } = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
  const backend = rows[0] ? await readProcStat(rows[0].pid) : undefined;
  const postmaster = backend ? await readProcStat(backend.ppid) : undefined;
  const postmasterPid = postmaster && /postgres|postmaster/.test(postmaster.comm) ? postmaster.pid : undefined;

  const hostPid = stack.hostPid;
  // As threads, every service has the host's pid: the process is listed once, as the host.
  const ourProcesses = () =>
    hostPid !== undefined
      ? [{ name: 'host', pid: hostPid }]
      : [...stack.processes.entries()].flatMap(([name, running]) => (running.pid === undefined ? [] : [{ name, pid: running.pid }]));

  const postgresSamples = async (): Promise<CpuSample[]> => {
    if (postmasterPid === undefined) return [];
    const [server, children] = await Promise.all([readProcStat(postmasterPid), childrenOf(postmasterPid)]);
    const samples: CpuSample[] = [];
    // The postmaster's own time plus that of the children it has reaped (short-lived autovacuum workers, exited backends).
    if (server) samples.push({ group: POSTGRES_OTHER, key: keyOf(server), ticks: ticksOf(server) + server.cutime + server.cstime });
    const titled = await Promise.all(children.map(async (child) => ({ child, title: await readCmdline(child.pid) })));
    for (const { child, title } of titled) {
      // A backend's title names its database: `postgres: 15/main: postgres am_test_… 127.0.0.1(53090) idle`.
      const ours = title.split(/\s+/).includes(databaseName);
      samples.push({ group: ours ? POSTGRES_BACKENDS : POSTGRES_OTHER, key: keyOf(child), ticks: ticksOf(child) });
    }
    return samples;
  };

  return {
    ticksPerSecond,
    postmasterPid,
    async snapshot() {
      const atMs = performance.now();
      const named = hostPid !== undefined ? [{ name: 'nats-server', pid: stack.nats.pid }] : [...ourProcesses(), { name: 'nats-server', pid: stack.nats.pid }];
      const [stats, postgres, hostThreads] = await Promise.all([
        Promise.all(named.map(async (p) => ({ ...p, stat: await readProcStat(p.pid) }))),
        postgresSamples(),
        hostPid !== undefined ? readThreadStats(hostPid) : Promise.resolve([]),
      ]);
      const driver = process.cpuUsage();
      const cpu: CpuSample[] = [
        // Replicas (`jobs#2`) count under their service.
        ...stats.flatMap(({ name, stat }) => (stat ? [{ group: name.replace(/#\d+$/, ''), key: keyOf(stat), ticks: ticksOf(stat) }] : [])),
        ...postgres,
        ...(hostPid !== undefined ? hostThreadSamples(hostThreads, hostPid, [...stack.processes.keys()]) : []),
        // process.cpuUsage() is in µs: expressed in ticks like the rest.
        { group: DRIVER, key: `self:${process.pid}`, ticks: ((driver.user + driver.system) / 1e6) * ticksPerSecond, outsideStack: true },
      ];
      const [xact, streamSeqs] = await Promise.all([
        db
          .query<{ xact_commit: string }>('select xact_commit from pg_stat_database where datname = $1', [databaseName])
          .then((result) => (result.rows[0] ? Number(result.rows[0].xact_commit) : null))
          .catch(() => null),
        (async () => {
          const seqs: Record<string, number> = {};
          for await (const info of manager.streams.list()) seqs[info.config.name] = info.state.last_seq;
          return seqs;
        })(),
      ]);
      return { atMs, cpu, xactCommit: xact, streamSeqs };
    },
    async stackPids() {
      const pids = [...ourProcesses(), { name: 'nats-server', pid: stack.nats.pid }];
      if (postmasterPid !== undefined) {
        pids.push({ name: 'postgres', pid: postmasterPid });
        for (const child of await childrenOf(postmasterPid)) pids.push({ name: 'postgres', pid: child.pid });
      }
      return pids;
    },
    async close() {
      await connection?.close().catch(() => {});
      await db.end().catch(() => {});
    },
  };
}
