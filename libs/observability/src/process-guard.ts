import type { Logger } from './logger.ts';
import type { ProcessMetrics } from './metrics.ts';

export interface ProcessGuardOptions {
  logger: Logger;
  metrics: Pick<ProcessMetrics, 'processFaults'>;
  /** More uncaught exceptions than this within `windowMs` means the process is broken: it exits and says so. */
  maxUncaughtPerWindow?: number;
  windowMs?: number;
  exit?: (code: number) => void;
}

/**
 * Keeps one bad message from taking a process down. An unhandled rejection or
 * an uncaught exception is logged with its cause and counted
 * (`agentmarket_process_faults_total`) and the process goes on; only a storm
 * of uncaught exceptions (state is probably corrupt) ends it, with one line
 * that says why, so the supervisor restarts a fresh one.
 */
export function guardProcess(options: ProcessGuardOptions): () => void {
  const max = options.maxUncaughtPerWindow ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const recent: number[] = [];

  const onRejection = (reason: unknown) => {
    options.metrics.processFaults.inc({ kind: 'unhandled_rejection' });
    options.logger.error({ err: reason }, 'unhandled promise rejection (the process goes on)');
  };
  const onException = (error: Error) => {
    options.metrics.processFaults.inc({ kind: 'uncaught_exception' });
    const now = Date.now();
    recent.push(now);
    while (recent.length > 0 && (recent[0] ?? now) < now - windowMs) recent.shift();
    if (recent.length > max) {
      options.logger.fatal({ err: error, uncaught: recent.length, window_ms: windowMs }, `exiting: ${recent.length} uncaught exceptions within ${windowMs} ms, the last: ${error.message}`);
      exit(70);
      return;
    }
    options.logger.error({ err: error }, 'uncaught exception (the process goes on)');
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
