import type { Logger } from '@agentmarket/observability';
import { onParentGone } from '@agentmarket/local-infra/parent-watch';

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
  whenOrphaned = () => void shutdown('parent exited');
}

// Before onShutdown is set up (a start still waiting for the bus or the database) there is nothing to stop gracefully.
let whenOrphaned: () => void = () => process.exit(1);

/** Set by whatever spawns a service (libs/local-infra's child runs): its own pid. */
export const SUPERVISOR_PID_ENV = 'AGENTMARKET_SUPERVISOR_PID';

/**
 * Stops the process when the one that started it is gone: a supervisor or a
 * test runner killed with SIGKILL cannot stop its children, and orphaned
 * replicas would go on consuming and retrying. Orphans are re-parented, so
 * a changed ppid is the sign; a process started as PID 1 or under an init
 * that stays (containers) never sees its ppid change.
 */
export function exitWhenOrphaned(): void {
  // The supervisor names itself: a parent killed before this line ran would otherwise look like the original one.
  onParentGone(() => whenOrphaned(), { parent: Number(process.env[SUPERVISOR_PID_ENV]) || process.ppid });
}
