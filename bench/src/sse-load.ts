import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { apiClient, publishService, registerAgent } from '@agentmarket/testing';
import { machineJiffies, readProcStat, readThreadStats } from './proc-stat.ts';
import { readRssKb } from './rss.ts';

export interface SseResult {
  clients: number;
  slowClients: number;
  clientProcesses: number;
  eventsPerSecTarget: number;
  durationS: number;
  /** Public events that occurred in the measured window, and what the fast clients received of them. */
  events: number;
  eventsPerSec: number;
  deliveries: number;
  expectedDeliveries: number;
  /** Events some fast client did not receive (0 = every client received every event). */
  incompleteEvents: number;
  fastStreamsEnded: number;
  delayP50Ms: number | null;
  delayP99Ms: number | null;
  delayMaxMs: number | null;
  /** Where the delay comes from, per event: commit (occurred_at) → stored in EVENTS (the outbox relay), stored → first and → last client (the gateway's fan-out). */
  relayP50Ms: number | null;
  relayP99Ms: number | null;
  toFirstClientP50Ms: number | null;
  toLastClientP50Ms: number | null;
  toLastClientP99Ms: number | null;
  /** `thread`: the services are threads of one host process; the gateway's CPU is then its thread's, its RSS the whole host's. */
  gatewayHostedAs: 'process' | 'thread';
  gatewayCpuMsPerSec: number | null;
  gatewayCpuMsPerEvent: number | null;
  gatewayRssMb: number | null;
  clientCpuMsPerSec: number | null;
  /**
   * Socket reads of the fast clients per second, and events per read: each read is about one write of the
   * gateway, whose fan-outs cost per write (a system call on each side) more than per event.
   */
  clientReadsPerSec: number | null;
  eventsPerRead: number | null;
  /** How busy the machine's CPUs were over the window (everything on it, not only this bench): delays grow as it nears 100. */
  machineBusyPct: number | null;
  publishFailures: number;
  publishFailureKinds: string;
  slow: { slow: number; dropped: number; complete: number; repeated: number; missing: number; backlogKb: number } | null;
}

interface Report {
  type: 'report';
  fastClients: number;
  fastEnded: number;
  reads: number;
  readSeconds: number;
  received: Record<string, { occurredMs: number; received: number; firstMs: number; lastMs: number }>;
  delayCounts: Record<string, number>;
}

const CLIENT_SCRIPT = fileURLToPath(new URL('./sse-clients.ts', import.meta.url));
/** Services whose description the publisher rewrites in turn: each update is one public `service_updated` event. */
const PUBLISHERS = 10;
/** Time for the last events of the window to reach every client before the figures are collected. */
const TAIL_MS = 3000;

/**
 * 2,000 SSE clients (in child processes, so their reading does not share the
 * bench's event loop) on one gateway, fed a steady stream of public events:
 * service descriptions rewritten at a set rate through the API, each one
 * `service_updated` (the cheapest public event to cause: one catalog
 * transaction, no money, no job). Some clients stop reading (paused
 * sockets): the others must see no difference, and the slow ones must be
 * dropped by the gateway's buffer limit and resume exactly with Last-Event-ID.
 */
export async function runSseLoad(options: {
  baseUrl: string;
  nats: { url: string; auth?: { passwords: { operator: string } } | undefined };
  gatewayPid: number | undefined;
  clients: number;
  slowClients: number;
  clientProcesses: number;
  eventsPerSec: number;
  durationS: number;
  warmupS: number;
  ticksPerSecond: number;
  log: (line: string) => void;
}): Promise<SseResult> {
  const api = apiClient(options.baseUrl);
  const owners = await Promise.all(Array.from({ length: PUBLISHERS }, (_, i) => registerAgent(api, `bench-sse-publisher-${i}`, ['benchmarking'], { funded: false })));
  const services = await Promise.all(owners.map((owner, i) => publishService(api, owner, { name: `bench sse service ${i}` })));

  const stored = await watchStream(options.nats);
  const url = new URL(options.baseUrl);
  const perProcess = Math.ceil(options.clients / options.clientProcesses);
  const children: ChildProcess[] = [];
  try {
    const connected = await Promise.all(
      Array.from({ length: options.clientProcesses }, (_, p) => {
        const count = Math.min(perProcess, options.clients - p * perProcess);
        // 250 loopback addresses per process, so that the per-address stream cap (10 by default) is never reached.
        const sourceAddresses = Array.from({ length: 250 }, (_, i) => `127.0.${p + 1}.${i + 1}`);
        const settings = { host: url.hostname, port: Number(url.port), clients: count, slow: p === 0 ? options.slowClients : 0, sourceAddresses };
        const child = fork(CLIENT_SCRIPT, [], { env: { ...process.env, SSE_CLIENTS_SETTINGS: JSON.stringify(settings) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.push(child);
        return nextMessage(child, 'connected', 120_000);
      }),
    );
    options.log(`  ${connected.reduce((sum, message) => sum + Number(message.clients), 0)} clients connected (${options.slowClients} of them stop reading)`);

    const publisher = startPublisher(options.baseUrl, owners, services, options.eventsPerSec);
    await sleep(options.warmupS * 1000);
    const gatewayHostedAs = await hostingOf(options.gatewayPid);
    const cpuOf = async () => {
      const gateway = options.gatewayPid === undefined ? undefined : gatewayStat(options.gatewayPid, gatewayHostedAs);
      const stats = await Promise.all([gateway, ...children.map((child) => (child.pid === undefined ? undefined : readProcStat(child.pid)))]);
      return stats.map((stat) => (stat ? stat.utime + stat.stime : null));
    };
    const fromMs = Date.now();
    const cpuStart = await cpuOf();
    const machineStart = await machineJiffies();
    let rssKb: number | undefined;
    const midRun = setTimeout(async () => {
      rssKb = options.gatewayPid === undefined ? undefined : await readRssKb(options.gatewayPid);
    }, (options.durationS * 1000) / 2);
    await sleep(options.durationS * 1000);
    const toMs = Date.now();
    const cpuEnd = await cpuOf();
    const machineEnd = await machineJiffies();
    clearTimeout(midRun);
    await publisher.stop();
    await sleep(TAIL_MS);

    const reports = (await Promise.all(
      children.map((child) => {
        child.send({ type: 'window', fromMs, toMs });
        return nextMessage(child, 'report', 60_000);
      }),
    )) as unknown as Report[];
    const slow = options.slowClients > 0 && children[0] ? await resumeSlow(children[0]) : null;

    const seconds = (toMs - fromMs) / 1000;
    const cpuMs = (i: number) => {
      const start = cpuStart[i];
      const end = cpuEnd[i];
      return start === null || start === undefined || end === null || end === undefined ? null : ((end - start) / options.ticksPerSecond) * 1000;
    };
    const fastClients = reports.reduce((sum, report) => sum + report.fastClients, 0);
    const perEvent = new Map<string, number>();
    const delayCounts = new Map<number, number>();
    for (const report of reports) {
      for (const [seq, entry] of Object.entries(report.received)) perEvent.set(seq, (perEvent.get(seq) ?? 0) + entry.received);
      for (const [ms, count] of Object.entries(report.delayCounts)) delayCounts.set(Number(ms), (delayCounts.get(Number(ms)) ?? 0) + count);
    }
    const firstArrival = new Map<string, number>();
    const lastArrival = new Map<string, number>();
    for (const report of reports) {
      for (const [seq, entry] of Object.entries(report.received)) {
        firstArrival.set(seq, Math.min(firstArrival.get(seq) ?? Infinity, entry.firstMs));
        lastArrival.set(seq, Math.max(lastArrival.get(seq) ?? 0, entry.lastMs));
      }
    }
    const relay = new Map<number, number>();
    const toFirst = new Map<number, number>();
    const toLast = new Map<number, number>();
    const count = (into: Map<number, number>, ms: number) => into.set(Math.round(ms), (into.get(Math.round(ms)) ?? 0) + 1);
    for (const seq of perEvent.keys()) {
      const at = stored.bySeq.get(Number(seq));
      if (!at) continue;
      count(relay, at.storedMs - at.occurredMs);
      count(toFirst, (firstArrival.get(seq) ?? at.storedMs) - at.storedMs);
      count(toLast, (lastArrival.get(seq) ?? at.storedMs) - at.storedMs);
    }
    await stored.close();
    const deliveries = [...perEvent.values()].reduce((sum, count) => sum + count, 0);
    const gatewayCpu = cpuMs(0);
    const clientCpu = children.map((_, i) => cpuMs(i + 1)).reduce<number | null>((sum, value) => (sum === null || value === null ? null : sum + value), 0);
    return {
      clients: options.clients,
      slowClients: options.slowClients,
      clientProcesses: options.clientProcesses,
      eventsPerSecTarget: options.eventsPerSec,
      durationS: seconds,
      events: perEvent.size,
      eventsPerSec: perEvent.size / seconds,
      deliveries,
      expectedDeliveries: perEvent.size * fastClients,
      incompleteEvents: [...perEvent.values()].filter((count) => count < fastClients).length,
      fastStreamsEnded: reports.reduce((sum, report) => sum + report.fastEnded, 0),
      delayP50Ms: percentile(delayCounts, 0.5),
      delayP99Ms: percentile(delayCounts, 0.99),
      delayMaxMs: percentile(delayCounts, 1),
      relayP50Ms: percentile(relay, 0.5),
      relayP99Ms: percentile(relay, 0.99),
      toFirstClientP50Ms: percentile(toFirst, 0.5),
      toLastClientP50Ms: percentile(toLast, 0.5),
      toLastClientP99Ms: percentile(toLast, 0.99),
      gatewayHostedAs,
      gatewayCpuMsPerSec: gatewayCpu === null ? null : gatewayCpu / seconds,
      gatewayCpuMsPerEvent: gatewayCpu === null || perEvent.size === 0 ? null : gatewayCpu / perEvent.size,
      gatewayRssMb: rssKb === undefined ? null : Math.round(rssKb / 102.4) / 10,
      clientCpuMsPerSec: clientCpu === null ? null : clientCpu / seconds,
      ...readFigures(reports, deliveries),
      machineBusyPct:
        machineStart && machineEnd && machineEnd.total > machineStart.total
          ? Math.round(((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) * 100)
          : null,
      publishFailures: publisher.failures(),
      publishFailureKinds: publisher.failureKinds(),
      slow,
    };
  } finally {
    for (const child of children) {
      child.send({ type: 'stop' }, () => undefined);
      setTimeout(() => child.kill(), 2000).unref();
    }
  }
}

function readFigures(reports: Report[], deliveries: number): { clientReadsPerSec: number | null; eventsPerRead: number | null } {
  const reads = reports.reduce((sum, report) => sum + report.reads, 0);
  const seconds = Math.min(...reports.map((report) => report.readSeconds));
  if (reads === 0 || !(seconds > 0)) return { clientReadsPerSec: null, eventsPerRead: null };
  const readsPerSec = reads / seconds;
  return { clientReadsPerSec: readsPerSec, eventsPerRead: deliveries / seconds / readsPerSec };
}

/** Whether the gateway is a process of its own or a thread (named after it) of a process that hosts the services. */
async function hostingOf(gatewayPid: number | undefined): Promise<'process' | 'thread'> {
  if (gatewayPid === undefined) return 'process';
  return (await readThreadStats(gatewayPid)).some((thread) => thread.comm === 'gateway') ? 'thread' : 'process';
}

/** The gateway's CPU counters: its process's, or (services hosted as threads of this process) its thread's, which the host names after it. */
async function gatewayStat(pid: number, hostedAs: 'process' | 'thread') {
  if (hostedAs === 'process') return readProcStat(pid);
  return (await readThreadStats(pid)).find((thread) => thread.comm === 'gateway');
}

async function resumeSlow(child: ChildProcess): Promise<SseResult['slow']> {
  child.send({ type: 'resume' });
  const message = await nextMessage(child, 'resumed', 60_000);
  return { slow: Number(message.slow), dropped: Number(message.dropped), complete: Number(message.complete), repeated: Number(message.repeated), missing: Number(message.missing), backlogKb: Number(message.backlogKb) };
}

/** When each event was written to the outbox (occurred_at) and stored in EVENTS (the stream's own timestamp). */
async function watchStream(nats: { url: string; auth?: { passwords: { operator: string } } | undefined }) {
  const connection = await connect({
    servers: nats.url.split(',').map((server) => server.trim()),
    name: 'bench-sse-watch',
    ...(nats.auth ? { user: 'operator', pass: nats.auth.passwords.operator } : {}),
  });
  const consumer = await jetstream(connection).consumers.get('EVENTS', { deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume();
  const bySeq = new Map<number, { occurredMs: number; storedMs: number }>();
  const reading = (async () => {
    for await (const message of messages) {
      const occurred = /"occurred_at":"([^"]+)"/.exec(new TextDecoder().decode(message.data))?.[1];
      if (occurred) bySeq.set(message.seq, { occurredMs: Date.parse(occurred), storedMs: message.info.timestampNanos / 1e6 });
    }
  })();
  return {
    bySeq,
    async close() {
      await messages.close();
      await reading.catch(() => undefined);
      await connection.close();
    },
  };
}

/**
 * Rewrites the services' descriptions at a steady rate, not waiting for answers (an open loop: a slow answer does
 * not slow the rate). Over node:http on kept-alive connections, not fetch: this process shares the two CPUs with
 * the gateway it measures, and fetch cost it several times the CPU per request.
 */
function startPublisher(baseUrl: string, owners: { key: string }[], services: { id: string }[], perSec: number) {
  const agent = new http.Agent({ keepAlive: true });
  const patch = (path: string, key: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(new URL(path, baseUrl), {
        method: 'PATCH',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-agent-key': key },
      });
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  let sent = 0;
  let failed = 0;
  /** Failures by HTTP status or error code, to tell a refused update from a lost connection. */
  const failedBy = new Map<string, number>();
  const fail = (kind: string) => {
    failed += 1;
    failedBy.set(kind, (failedBy.get(kind) ?? 0) + 1);
  };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    // Catch up on the schedule, so that timer drift does not lower the rate.
    const due = Math.floor(((performance.now() - started) / 1000) * perSec);
    while (sent < due) {
      const i = sent % services.length;
      const service = services[i];
      const owner = owners[i];
      sent += 1;
      if (!service || !owner) continue;
      const call = patch(`/api/services/${service.id}`, owner.key, JSON.stringify({ description: `bench sse update ${sent}` }))
        .then((status) => void (status === 200 ? undefined : fail(`HTTP ${status}`)))
        .catch((error: unknown) => fail((error as NodeJS.ErrnoException).code ?? 'error'))
        .finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
    timer = setTimeout(tick, 1000 / perSec / 2);
  };
  let timer = setTimeout(tick, 0);
  return {
    failures: () => failed,
    failureKinds: () => [...failedBy].map(([kind, count]) => `${count} × ${kind}`).join(', '),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
      agent.destroy();
    },
  };
}

function nextMessage(child: ChildProcess, type: string, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SSE client process: no "${type}" within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (message: Record<string, unknown>) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`SSE client process exited (${code}) before "${type}"`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function percentile(counts: Map<number, number>, fraction: number): number | null {
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(total * fraction));
  let seen = 0;
  for (const ms of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(ms) ?? 0;
    if (seen >= rank) return ms;
  }
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function formatSse(result: SseResult, previous: SseResult | null | undefined): string {
  const was = (value: number | null | undefined, unit = '') => (previous && value !== null && value !== undefined ? ` (previous run ${round(value)}${unit})` : '');
  const lines = [
    `SSE: ${result.clients} clients in ${result.clientProcesses} processes (${result.slowClients} stop reading), ${result.eventsPerSec.toFixed(1)} public events/s (target ${result.eventsPerSecTarget}) for ${result.durationS.toFixed(1)} s`,
    `  delay from occurred_at to arrival: p50 ${result.delayP50Ms} ms${was(previous?.delayP50Ms, ' ms')}, p99 ${result.delayP99Ms} ms${was(previous?.delayP99Ms, ' ms')} (target < 100), max ${result.delayMaxMs} ms`,
    `  where it comes from: commit → stored in EVENTS (outbox relay) p50 ${result.relayP50Ms} ms, p99 ${result.relayP99Ms} ms; ` +
      `stored → first client p50 ${result.toFirstClientP50Ms} ms; stored → last client p50 ${result.toLastClientP50Ms} ms, p99 ${result.toLastClientP99Ms} ms`,
    `  deliveries ${result.deliveries}/${result.expectedDeliveries}${result.incompleteEvents === 0 ? ' (every fast client received every event)' : ` (${result.incompleteEvents} events MISSED by some client)`}; fast streams ended: ${result.fastStreamsEnded}${result.fastStreamsEnded === 0 ? '' : ' (EXPECTED 0)'}`,
    `  gateway ${result.gatewayHostedAs === 'thread' ? 'thread ' : ''}CPU ${fmt(result.gatewayCpuMsPerSec)} ms/s${was(previous?.gatewayCpuMsPerSec, ' ms/s')} = ${fmt(result.gatewayCpuMsPerEvent)} ms per event; ` +
      `${result.gatewayHostedAs === 'thread' ? 'host process (every service)' : 'gateway'} RSS ${fmt(result.gatewayRssMb)} MB${was(previous?.gatewayRssMb, ' MB')}; ` +
      `client processes ${fmt(result.clientCpuMsPerSec)} ms/s; machine ${fmt(result.machineBusyPct)}% busy`,
    `  fan-out: ${fmt(result.clientReadsPerSec)} socket reads/s by the fast clients, ${result.eventsPerRead === null ? 'n/a' : result.eventsPerRead.toFixed(2)} events per read`,
  ];
  if (result.publishFailures > 0) lines.push(`  publisher: ${result.publishFailures} updates failed (${result.publishFailureKinds})`);
  if (result.slow) {
    const s = result.slow;
    lines.push(
      `  slow readers: ${s.backlogKb} KB behind when they read again; ${s.dropped}/${s.slow} dropped by the gateway's buffer limit (SSE_MAX_BUFFER_BYTES, beyond what the kernel holds); after resuming (Last-Event-ID) ${s.complete}/${s.slow} have every event without a gap` +
        `${s.repeated > 0 ? `, ${s.repeated} saw a repeat` : ''}${s.missing > 0 ? `, ${s.missing} events missing` : ''}`,
    );
  }
  return lines.join('\n');
}

const round = (value: number) => Math.round(value * 10) / 10;
const fmt = (value: number | null) => (value === null ? 'n/a' : round(value).toString());
