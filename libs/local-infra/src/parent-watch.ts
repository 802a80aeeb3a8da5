/**
 * Calls `onGone` once when the process that started this one is gone: an
 * orphan is re-parented, so its ppid changes. `parent` names the process to
 * outlive no longer (default: the ppid now), for a caller that knows its
 * supervisor's pid better than a ppid read after that supervisor may already
 * have died. Never fires for a process started as PID 1 or under an init
 * that stays (containers). The watch does not keep the process alive;
 * returns a function that stops it. Used by every service (exitWhenOrphaned
 * in libs/messaging) and by the host of service threads (the launcher).
 */
export function onParentGone(onGone: () => void, options: { parent?: number; intervalMs?: number } = {}): () => void {
  const parent = options.parent ?? process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, options.intervalMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
