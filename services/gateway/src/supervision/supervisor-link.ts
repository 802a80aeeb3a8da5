import { z } from 'zod';
import { replaceRestartingProcesses, type RestartingProcess } from './supervised-processes.ts';

// The stack's side of this exchange is infra/src/supervision-protocol.ts: change both together.
const HELLO = 'agentmarket.supervision.hello';
const snapshotSchema = z.object({
  type: z.literal('agentmarket.supervision.snapshot'),
  processes: z.record(
    z.string(),
    z.object({ attempt: z.number().int().min(0), next_restart_at: z.number().nullable(), last_exit: z.string().nullable() }),
  ),
});

/**
 * When this gateway runs under a supervisor with an IPC channel (npm start,
 * the test harness), asks it for the state of the processes it restarts and
 * keeps the answers for /readyz. Does nothing otherwise.
 */
export function listenToSupervisor(): void {
  if (!process.send) return;
  process.on('message', (message) => {
    const snapshot = snapshotSchema.safeParse(message);
    if (!snapshot.success) return;
    const restarting = new Map<string, RestartingProcess>();
    for (const [name, state] of Object.entries(snapshot.data.processes)) {
      restarting.set(name, { attempt: state.attempt, nextRestartAt: state.next_restart_at });
    }
    replaceRestartingProcesses(restarting);
  });
  // The supervisor is gone: what it said last is no longer being kept current.
  process.on('disconnect', () => replaceRestartingProcesses(new Map()));
  // The channel must not keep the process alive on its own (graceful shutdown waits for the loop to empty).
  process.channel?.unref();
  process.send({ type: HELLO });
}
