/**
 * The process that hosts the bench's stack as worker threads, as `npm start`
 * hosts it: started by the bench (bench-stack.ts) with the services' V8
 * flags and environment, so that the host's memory and threads are the
 * stack's alone, apart from the load generator's. Its options come in
 * BENCH_STACK_OPTIONS; it answers the bench over IPC, and stops the stack
 * when the bench goes away.
 */
import { startTestStack, type TestStack, type TestStackOptions } from '@agentmarket/testing';
import type { HostMessage, HostRequest } from './stack-host-protocol.ts';

const send = (message: HostMessage) => process.send?.(message);
const options = JSON.parse(process.env.BENCH_STACK_OPTIONS ?? '{}') as TestStackOptions;

let stack: TestStack | undefined;
let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= (stack?.stop() ?? Promise.resolve()).catch((error: unknown) => void process.stderr.write(`stopping the stack failed: ${String(error)}\n`)));

// The bench gone (Ctrl-C, a crash): its channel closes, and the stack must not stay behind.
process.on('disconnect', () => void stop().finally(() => process.exit(1)));

try {
  stack = await startTestStack({ ...options, hosting: 'threads' });
} catch (error) {
  send({ kind: 'failed', detail: (error as Error).message });
  process.exit(1);
}
const running = stack;

process.on('message', (request: HostRequest) => {
  void (async () => {
    if (request.op === 'heaps') {
      const entries = await Promise.all([...running.processes.entries()].map(async ([key, service]) => [key, await service.heapStatistics()] as const));
      send({ kind: 'reply', id: request.id, heaps: Object.fromEntries(entries) });
    } else if (request.op === 'stop') {
      await stop();
      send({ kind: 'reply', id: request.id });
      process.exit(0);
    }
  })();
});

send({
  kind: 'ready',
  gatewayUrl: running.gatewayUrl,
  databaseUrl: running.databaseUrl,
  natsUrl: running.natsUrl,
  natsAuth: running.natsAuth,
  natsPid: running.nats.pid,
  services: [...running.processes.keys()],
});
