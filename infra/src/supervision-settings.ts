import { int, loadSettings, oneOf, type SettingsOf } from '@agentmarket/config';
import type { RestartPolicy } from '@agentmarket/local-infra';

/**
 * How `npm start` (and every stack built by startStack: tests, bench) restarts
 * a service that exits without being asked to. Read by the launcher, not by
 * the services.
 */
const restartSettings = {
  RESTART_BACKOFF_INITIAL_MS: int('delay before restarting a service process that exited on its own; doubles with each further exit', 500, {
    // 0 would respawn a process that dies at start in a tight loop.
    min: 10,
  }),
  RESTART_BACKOFF_MAX_MS: int('upper bound of the doubling restart delay', 30_000, { min: 10 }),
  RESTART_BACKOFF_RESET_MS: int('a process that stayed ready this long is restarted after the initial delay again', 30_000, { min: 0 }),
};

/** What the launcher reads to run and supervise the services (the settings table lists them as its own). */
export const supervisionSettings = {
  ...restartSettings,
  SERVICE_HOSTING: oneOf(
    'how npm start runs the services: threads (one Node process, a worker thread per service; a crash restarts only that thread) or processes (a child process per service)',
    ['threads', 'processes'],
    'threads',
  ),
};

export function restartPolicyOf(settings: SettingsOf<typeof restartSettings>): RestartPolicy {
  return {
    initialDelayMs: settings.RESTART_BACKOFF_INITIAL_MS,
    maxDelayMs: settings.RESTART_BACKOFF_MAX_MS,
    resetAfterMs: settings.RESTART_BACKOFF_RESET_MS,
  };
}

export function restartPolicyFromEnv(env: Record<string, string | undefined>): RestartPolicy {
  return restartPolicyOf(loadSettings(restartSettings, env));
}
