/**
 * What the host and a service's worker thread say to each other over the
 * thread's port: the host asks the service to stop as a signal would, and
 * carries the messages a child process would exchange over its IPC channel.
 */
export const STOP_MESSAGE = 'agentmarket:stop';
export const IPC_MESSAGE = 'agentmarket:ipc';

export interface StopMessage {
  kind: typeof STOP_MESSAGE;
  signal: 'SIGTERM' | 'SIGINT';
}

export interface IpcMessage {
  kind: typeof IPC_MESSAGE;
  message: unknown;
}

/** What the thread's entry needs to know, as its workerData. */
export interface ServiceThreadData {
  /** The service's own entry file (services/<name>/src/main.ts). */
  entry: string;
  /** Whether to give the service a process.send / 'message' channel to the host. */
  ipc: boolean;
}

const kindOf = (value: unknown) => (typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined);

export const isStopMessage = (value: unknown): value is StopMessage => kindOf(value) === STOP_MESSAGE;
export const isIpcMessage = (value: unknown): value is IpcMessage => kindOf(value) === IPC_MESSAGE;
