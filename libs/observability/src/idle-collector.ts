import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** Event-loop utilization above which an interval counts as work, and below which as idle. */
const BUSY_ABOVE = 0.05;
const IDLE_BELOW = 0.01;

/**
 * Whether to collect now: only on the first quiet interval after some work.
 * A process that stays idle is not collected again, and one under load never is.
 */
export function idleCollectionDue(state: { workedSinceCollection: boolean }, utilization: number): boolean {
  if (utilization > BUSY_ABOVE) state.workedSinceCollection = true;
  if (utilization >= IDLE_BELOW || !state.workedSinceCollection) return false;
  state.workedSinceCollection = false;
  return true;
}

/**
 * Runs one full garbage collection when the process falls quiet after a burst.
 * V8 frees what a burst left behind (a crowd of SSE clients gone, a batch of
 * lifecycles done) only when it next needs memory, and an idle process never
 * does: its resident memory stays at the burst's size. One collection on the
 * way to idle gives the pages back. Needs `--expose-gc` (SERVICE_NODE_FLAGS in
 * libs/local-infra, the image's NODE_OPTIONS); without it this does nothing.
 */
export function collectWhenIdle(intervalMs = 5000): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return () => {};
  const state = { workedSinceCollection: false };
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const interval = performance.eventLoopUtilization(now, previous);
    previous = now;
    if (idleCollectionDue(state, interval.utilization)) gc();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
