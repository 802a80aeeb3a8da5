/**
 * Calls `onGone` once if this process's parent goes away (it is then
 * re-parented, so its ppid changes): a host of service threads must go down
 * with whatever started it, as its child processes do with it
 * (exitWhenOrphaned). Never fires for a process started as PID 1 or under an
 * init that stays. Returns a function that stops watching.
 */
export function onParentGone(onGone: () => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
