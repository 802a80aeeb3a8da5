import type { Logger } from '@agentmarket/observability';
import { runUnitOfWork } from '@agentmarket/persistence';
import type { BackgroundTask } from './service-runtime.ts';

/**
 * Runs `work` every `intervalMs` on every replica (due timers, stuck hires,
 * deferred announcements); `work` claims what it handles so replicas share
 * it. A full batch means more may be waiting: the loop goes again at once.
 */
export function startPollingLoop(options: {
  name: string;
  intervalMs: number;
  batchSize: number;
  work(limit: number): Promise<number>;
  logger: Logger;
  /** Routine work, logged at debug rather than info (it happens all the time under load). */
  routine?: boolean;
}): BackgroundTask {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        const handled = await runUnitOfWork(() => options.work(options.batchSize));
        if (handled > 0) options.logger[options.routine ? 'debug' : 'info']({ handled }, `${options.name}: handled ${handled}`);
        if (handled === options.batchSize) continue;
      } catch (error) {
        options.logger.warn({ err: error }, `${options.name} failed; will retry`);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.intervalMs);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
