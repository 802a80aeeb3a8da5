/**
 * A crowd of SSE clients in one process, started by the `sse` bench target
 * (sse-load.ts) as a child: raw TCP sockets read into one buffer the process
 * reuses (no stream, no buffer per read), a hand-written HTTP and SSE reader
 * on the bytes (sse-wire-reader.ts), and nothing kept per event but what the
 * figures need, so that the cost measured is the gateway's and not this
 * reader's (its own CPU is reported beside the gateway's anyway): the
 * clients share the machine's two CPUs with the gateway, and a costly reader
 * would show as the gateway's delay.
 *
 * Talks to its parent over IPC:
 *   parent → child: {type: 'window', fromMs, toMs}  (report the events that occurred in this window)
 *                   {type: 'resume'}                 (slow readers read again, then resume with Last-Event-ID)
 *                   {type: 'stop'}
 *   child → parent: {type: 'connected', clients}, {type: 'report', ...}, {type: 'resumed', ...}
 */
import net from 'node:net';
import { SseWireReader } from './sse-wire-reader.ts';

interface Settings {
  host: string;
  port: number;
  clients: number;
  /** Of which the first `slow` stop reading once connected (paused sockets), until told to resume. */
  slow: number;
  /** Loopback source addresses to spread the clients over (the gateway caps streams per address). */
  sourceAddresses: string[];
}

const settings = JSON.parse(process.env.SSE_CLIENTS_SETTINGS ?? '{}') as Settings;

/** Per event sequence: when it occurred, how many of this process's fast clients received it, and when the first and the last did. */
const bySeq = new Map<number, { occurredMs: number; received: number; firstMs: number; lastMs: number; bytes: number }>();
/** Delay samples (arrival − occurred_at) of fast clients, with the event's occurred time to filter by window. */
let delays = new Float64Array(1 << 20);
let occurredOf = new Float64Array(1 << 20);
let samples = 0;

function record(seq: number, occurredMs: number, arrivedMs: number, bytes: number): void {
  let entry = bySeq.get(seq);
  if (!entry) bySeq.set(seq, (entry = { occurredMs, received: 0, firstMs: arrivedMs, lastMs: arrivedMs, bytes }));
  entry.received += 1;
  entry.lastMs = arrivedMs;
  if (samples === delays.length) {
    const grownDelays = new Float64Array(delays.length * 2);
    grownDelays.set(delays);
    delays = grownDelays;
    const grownOccurred = new Float64Array(occurredOf.length * 2);
    grownOccurred.set(occurredOf);
    occurredOf = grownOccurred;
  }
  delays[samples] = arrivedMs - occurredMs;
  occurredOf[samples] = occurredMs;
  samples += 1;
}

/** Reads of the fast clients' sockets, by second (Date.now() / 1000): how many writes the gateway's fan-outs took. */
const readsBySecond = new Map<number, number>();

interface Client {
  socket: net.Socket;
  reader: SseWireReader;
  slow: boolean;
  /** Set when the server ended the stream (a slow reader dropped by the gateway). */
  ended: boolean;
  seqs: number[];
}

function request(path: string, lastEventId?: number): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: ${settings.host}:${settings.port}\r\nAccept: text/event-stream\r\n` +
    (lastEventId !== undefined ? `Last-Event-ID: ${lastEventId}\r\n` : '') +
    '\r\n'
  );
}

/**
 * One client. `fast` ones feed the figures; a `slow` one stops reading once connected and keeps the
 * sequences it read; a `resumed` one is a slow reader back with Last-Event-ID, adding to the same list.
 */
function open(index: number, role: 'fast' | 'slow' | 'resumed', onConnected: () => void, resume?: { lastEventId: number; seqs: number[] }): Client {
  const localAddress = settings.sourceAddresses[index % settings.sourceAddresses.length];
  const socket = net.connect({
    host: settings.host,
    port: settings.port,
    localAddress,
    // Each read lands in the process's one buffer and is parsed at once (pause() still stops reading).
    onread: {
      buffer: READ_BUFFER,
      callback: (length: number) => {
        if (!slow) {
          const second = Math.floor(Date.now() / 1000);
          readsBySecond.set(second, (readsBySecond.get(second) ?? 0) + 1);
        }
        client.reader.push(READ_BUFFER, length);
        return true;
      },
    },
  });
  socket.setNoDelay(true);
  const slow = role !== 'fast';
  const client: Client = { socket, reader: undefined as unknown as SseWireReader, slow, ended: false, seqs: resume?.seqs ?? [] };
  let connected = false;
  client.reader = new SseWireReader({
    onComment: (text) => {
      if (text !== 'connected' || connected) return;
      connected = true;
      // A slow reader stops reading here: the gateway's buffer for it fills while the others go on.
      if (role === 'slow') socket.pause();
      onConnected();
    },
    onEvent: (seq, occurredMs, bytes) => {
      if (client.slow) client.seqs.push(seq);
      else record(seq, occurredMs, Date.now(), bytes);
    },
  });
  socket.on('error', () => undefined);
  socket.on('close', () => (client.ended = true));
  socket.write(request('/api/events', resume?.lastEventId));
  return client;
}

const clients: Client[] = [];
/** Where every socket of this process reads into: the reader takes what it needs before the next read. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

async function connectAll(): Promise<void> {
  // In steps, so the listen backlog never overflows.
  const step = 50;
  for (let start = 0; start < settings.clients; start += step) {
    const size = Math.min(step, settings.clients - start);
    await Promise.all(
      Array.from({ length: size }, (_, i) => new Promise<void>((resolve) => clients.push(open(start + i, start + i < settings.slow ? 'slow' : 'fast', resolve)))),
    );
  }
}

function report(fromMs: number, toMs: number) {
  const received: Record<number, { occurredMs: number; received: number; firstMs: number; lastMs: number }> = {};
  for (const [seq, entry] of bySeq) if (entry.occurredMs >= fromMs && entry.occurredMs <= toMs) received[seq] = entry;
  // Delays in whole milliseconds → how many deliveries took that long: small to send, exact enough for percentiles.
  const delayCounts: Record<number, number> = {};
  for (let i = 0; i < samples; i += 1) {
    const occurred = occurredOf[i] ?? 0;
    if (occurred < fromMs || occurred > toMs) continue;
    const ms = Math.max(0, Math.round(delays[i] ?? 0));
    delayCounts[ms] = (delayCounts[ms] ?? 0) + 1;
  }
  const fast = clients.filter((client) => !client.slow);
  let reads = 0;
  for (const [second, count] of readsBySecond) if (second * 1000 >= fromMs && (second + 1) * 1000 <= toMs) reads += count;
  return {
    type: 'report',
    fastClients: fast.length,
    fastEnded: fast.filter((client) => client.ended).length,
    /** Over the whole seconds of the window. */
    reads,
    readSeconds: Math.max(0, Math.floor(toMs / 1000) - Math.ceil(fromMs / 1000)),
    received,
    delayCounts,
    cpuMicros: process.cpuUsage(),
  };
}

/**
 * The slow readers read what the kernel kept for them, then (if the gateway
 * dropped them) reconnect with Last-Event-ID: each must end up with every
 * event the fast clients saw from its first event on, without a gap or repeat.
 */
async function resumeSlow(): Promise<{ type: 'resumed'; slow: number; dropped: number; complete: number; repeated: number; missing: number; backlogKb: number }> {
  const slow = clients.filter((client) => client.slow);
  // How far behind the slow readers are: the bytes of the events the others received after the last one they read.
  const before = Math.min(...slow.map((client) => client.seqs.at(-1) ?? 0));
  let backlog = 0;
  for (const [seq, entry] of bySeq) if (seq > before) backlog += entry.bytes;
  for (const client of slow) client.socket.resume();
  // Whatever the kernel still holds arrives now; a dropped stream then ends.
  await waitFor(() => slow.every((client) => client.ended) || false, 2000);
  const dropped = slow.filter((client) => client.ended).length;
  const lastSeen = Math.max(0, ...[...bySeq.keys()]);
  let complete = 0;
  let repeated = 0;
  let missing = 0;
  await Promise.all(
    slow.map(async (client, index) => {
      if (client.ended) {
        const again = open(index, 'resumed', () => undefined, { lastEventId: client.seqs.at(-1) ?? 0, seqs: client.seqs });
        clients.push(again);
        await waitFor(() => (client.seqs.at(-1) ?? 0) >= lastSeen, 10_000);
        again.socket.destroy();
      } else {
        await waitFor(() => (client.seqs.at(-1) ?? 0) >= lastSeen, 10_000);
      }
      const first = client.seqs[0] ?? lastSeen;
      const expected = [...bySeq.keys()].filter((seq) => seq >= first && seq <= lastSeen);
      const got = new Set(client.seqs);
      if (got.size !== client.seqs.length) repeated += 1;
      const lacking = expected.filter((seq) => !got.has(seq)).length;
      if (lacking === 0) complete += 1;
      else missing += lacking;
    }),
  );
  return { type: 'resumed', slow: slow.length, dropped, complete, repeated, missing, backlogKb: Math.round(backlog / 1024) };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

process.on('message', (message: { type: string; fromMs?: number; toMs?: number }) => {
  if (message.type === 'window') process.send?.(report(message.fromMs ?? 0, message.toMs ?? Date.now()));
  else if (message.type === 'resume') void resumeSlow().then((result) => process.send?.(result));
  else if (message.type === 'stop') {
    for (const client of clients) client.socket.destroy();
    process.exit(0);
  }
});

await connectAll();
process.send?.({ type: 'connected', clients: clients.length });
