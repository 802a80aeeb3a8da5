import { SUPERVISION_HELLO, supervisionSnapshotSchema } from '@agentmarket/contracts';
import { replaceRestartingProcesses, type RestartingProcess } from './supervised-processes.ts';

/**
 * When this gateway runs under a supervisor with an IPC channel (npm start,
 * the test harness), asks it for the state of the processes it restarts and
 * keeps the answers for /readyz. Does nothing otherwise.
 */
export function listenToSupervisor(): void {
  if (!process.send) return;
  process.on('message', (message) => {
    const snapshot = supervisionSnapshotSchema.safeParse(message);
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
  process.send({ type: SUPERVISION_HELLO });
}
