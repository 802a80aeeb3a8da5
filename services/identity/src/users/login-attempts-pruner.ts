import type { BackgroundTask } from '@agentmarket/messaging';
import type { Logger } from '@agentmarket/observability';
import type { LoginThrottle } from './login-throttle.service.ts';

/** Deletes finished login counters every `intervalMs`; failed logins for made-up emails would otherwise pile up. */
export function startLoginAttemptsPruner(throttle: LoginThrottle, intervalMs: number, logger: Logger): BackgroundTask {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = throttle.prune().then(
      (deleted) => {
        if (deleted > 0) logger.debug({ deleted }, 'pruned login counters');
      },
      (error: unknown) => logger.warn({ err: error }, 'could not prune login counters'),
    );
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
