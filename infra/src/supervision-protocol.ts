/**
 * What the stack tells the gateway about supervised processes, over the
 * gateway child's IPC channel. The gateway's side is
 * services/gateway/src/supervision/supervisor-link.ts, which validates the
 * same shape: change both together.
 */

/** Sent by the gateway when it starts: "tell me the current state". */
export const SUPERVISION_HELLO = 'agentmarket.supervision.hello';
/** Sent to the gateway in answer to the hello and after every change. */
export const SUPERVISION_SNAPSHOT = 'agentmarket.supervision.snapshot';

/** A process that exited on its own and is not back yet. */
export interface RestartingProcess {
  attempt: number;
  /** Epoch ms of the pending restart (same machine, same clock); null once relaunched and waiting to be ready. */
  next_restart_at: number | null;
  last_exit: string | null;
}

export interface SupervisionSnapshot {
  type: typeof SUPERVISION_SNAPSHOT;
  /** By process key (`identity`, `jobs#2`): only the ones restarting; an absent process is up or stopped on purpose. */
  processes: Record<string, RestartingProcess>;
}

export function isSupervisionHello(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === SUPERVISION_HELLO;
}
