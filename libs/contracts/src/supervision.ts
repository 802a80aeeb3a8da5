import { z } from 'zod';

/**
 * What a supervisor (npm start, the test harness) tells the gateway about
 * the processes it restarts, over the gateway child's IPC channel.
 */

/** Sent by the gateway when it starts: "tell me the current state". */
export const SUPERVISION_HELLO = 'agentmarket.supervision.hello';
/** Sent to the gateway in answer to the hello and after every change. */
export const SUPERVISION_SNAPSHOT = 'agentmarket.supervision.snapshot';

/** A process that exited on its own and is not back yet. */
export const restartingProcessSchema = z.object({
  attempt: z.number().int().min(0),
  /** Epoch ms of the pending restart (same machine, same clock); null once relaunched and waiting to be ready. */
  next_restart_at: z.number().nullable(),
  last_exit: z.string().nullable(),
});
export type RestartingProcess = z.infer<typeof restartingProcessSchema>;

export const supervisionSnapshotSchema = z.object({
  type: z.literal(SUPERVISION_SNAPSHOT),
  /** By process key (`identity`, `jobs#2`): only the ones restarting; an absent process is up or stopped on purpose. */
  processes: z.record(z.string(), restartingProcessSchema),
});
export type SupervisionSnapshot = z.infer<typeof supervisionSnapshotSchema>;

export function isSupervisionHello(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === SUPERVISION_HELLO;
}
