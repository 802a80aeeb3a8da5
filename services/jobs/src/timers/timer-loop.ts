import type { Logger } from '@agentmarket/observability';
import type { BackgroundTask } from '@agentmarket/messaging';

/**
 * Polls for due timers every `intervalMs` on every replica; `fire` claims
 * them with SKIP LOCKED, so replicas share the work and none fires one twice.
 */
export function startTimerLoop(options: { intervalMs: number; batchSize: number; fire(limit: number): Promise<number>; logger: Logger }): BackgroundTask {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        const fired = await options.fire(options.batchSize);
        if (fired > 0) options.logger.info({ fired }, 'timers fired');
        // A full batch means more may be due: go again at once.
        if (fired === options.batchSize) continue;
      } catch (error) {
        options.logger.warn({ err: error }, 'timer poll failed; will retry');
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
