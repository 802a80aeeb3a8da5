const POLL_INTERVAL_MS = 100;
const REQUEST_TIMEOUT_MS = 1000;

export type ProbeOutcome = 'ready' | 'gone' | 'timeout';

/**
 * Polls `url` until it answers 2xx ('ready'), `gone` is aborted (the
 * process exited: 'gone') or `timeoutMs` passes ('timeout').
 */
export async function probeUntilReady(url: string, timeoutMs: number, gone: AbortSignal): Promise<ProbeOutcome> {
  const deadline = Date.now() + timeoutMs;
  while (!gone.aborted) {
    if (Date.now() >= deadline) return 'timeout';
    try {
      const response = await fetch(url, { signal: AbortSignal.any([gone, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
      await response.body?.cancel();
      if (response.ok) return gone.aborted ? 'gone' : 'ready';
    } catch {
      // not listening yet, or the process went away mid-request
    }
    await pause(POLL_INTERVAL_MS, gone);
  }
  return 'gone';
}

/** Waits `ms`, or less if `signal` is aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
