import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import type { FeedItem } from '../feed/feed-item.ts';

export interface LiveResource<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

export interface LiveResourceOptions<T> {
  /** Reload on a timer as a safety net (ms). */
  pollMs?: number;
  /** Events after which the resource is reloaded, `debounceMs` (300) after the first of a burst. */
  refreshOn?: (item: FeedItem) => boolean;
  debounceMs?: number;
  /** Event-driven reloads start at least this long after the previous one (the gateway's rate limit is per IP). */
  minIntervalMs?: number;
  /** True when an answer predates `item` (a server-side cache): it is fetched again shortly, a few times at most. */
  isStale?: (value: T, item: FeedItem) => boolean;
}

const STALE_RETRY_MS = 300;
const STALE_RETRIES = 5;

/**
 * Loads a resource, keeps it fresh from the live feed (a debounced reload
 * after relevant events) and a slow poll, and reloads when `key` changes.
 * The last good value stays on screen while a reload runs or fails.
 */
export function useLiveResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>, options: LiveResourceOptions<T> = {}): LiveResource<T> {
  const { feed } = useApp();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [reloads, setReloads] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const optionsRef = useRef(options);
  optionsRef.current = options;

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    let latest: FeedItem | undefined;
    let staleRetries = 0;
    let running = false;
    let again = false;
    let lastRunAt = 0;

    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      lastRunAt = Date.now();
      setLoading(true);
      try {
        const value = await loadRef.current(controller.signal);
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
        const isStale = optionsRef.current.isStale;
        if (latest && isStale?.(value, latest) && staleRetries < STALE_RETRIES) {
          staleRetries += 1;
          schedule(STALE_RETRY_MS);
        }
      } catch (caught) {
        if (!controller.signal.aborted) setError(caught instanceof Error ? caught.message : String(caught));
      } finally {
        running = false;
        if (!controller.signal.aborted) setLoading(false);
        if (again && !controller.signal.aborted) {
          again = false;
          void run();
        }
      }
    };
    // Coalesces: a reload already scheduled is not pushed back, so a busy market still sees updates.
    const schedule = (ms: number) => {
      if (timer !== undefined) return;
      const wait = Math.max(ms, lastRunAt + (optionsRef.current.minIntervalMs ?? 0) - Date.now());
      timer = window.setTimeout(() => {
        timer = undefined;
        void run();
      }, wait);
    };

    void run();
    const poll = optionsRef.current.pollMs ? window.setInterval(() => void run(), optionsRef.current.pollMs) : undefined;
    const stopListening = feed.store.onArrival((item) => {
      if (!optionsRef.current.refreshOn?.(item)) return;
      latest = item;
      staleRetries = 0;
      schedule(optionsRef.current.debounceMs ?? 300);
    });
    return () => {
      controller.abort();
      window.clearTimeout(timer);
      window.clearInterval(poll);
      stopListening();
    };
  }, [key, reloads, feed]);

  return { data, error, loading, reload: () => setReloads((count) => count + 1) };
}
