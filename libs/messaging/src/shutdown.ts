import type { Logger } from '@agentmarket/observability';

/**
 * Runs `steps` in order on SIGTERM/SIGINT, then exits. A second signal or
 * the timeout exits at once, so a stuck step cannot keep a replica alive.
 */
export function onShutdown(logger: Logger, timeoutMs: number, steps: [string, () => Promise<unknown>][]): void {
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeout_ms: timeoutMs }, 'graceful shutdown timed out');
      process.exit(1);
    }, timeoutMs).unref();
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        logger.warn({ err: error, step: name }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
