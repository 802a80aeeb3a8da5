/**
 * The entry of a service's worker thread: makes the thread look, to the
 * service, like the child process it would otherwise be, then runs the
 * service's own entry unchanged.
 *
 * - The host's stop becomes process.emit('SIGTERM'): the service's shutdown
 *   handlers (libs/messaging's onShutdown) run as on a real SIGTERM. Before
 *   it has any, the thread ends as an unhandled SIGTERM would end a process.
 * - With `ipc`, process.send and process.on('message') carry messages to and
 *   from the host as a child's IPC channel would (the gateway's supervisor link).
 * - process.exit ends only this thread, with its code, which the host's
 *   supervisor reads as it would a child's exit code.
 * - process.ppid is the host's pid, as a child's would be its supervisor's:
 *   a thread's own ppid is the host's parent, and would make the service's
 *   orphan check (exitWhenOrphaned) end it on its own, to be restarted, the
 *   moment that parent goes. The host watches its parent itself, and stops
 *   its threads through their shutdown.
 */
import { constants } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { IPC_MESSAGE, isIpcMessage, isStopMessage, type ServiceThreadData } from './service-thread-protocol.ts';

const { entry, ipc } = workerData as ServiceThreadData;
const host = process.pid;
Object.defineProperty(process, 'ppid', { get: () => host, enumerable: true, configurable: true });
const port = parentPort;
if (!port) throw new Error('service-thread-entry.ts runs as a worker thread of a service host, not on its own');

port.on('message', (message: unknown) => {
  if (isStopMessage(message)) {
    if (process.listenerCount(message.signal) > 0) process.emit(message.signal, message.signal);
    else process.exit(128 + constants.signals[message.signal]);
  } else if (ipc && isIpcMessage(message)) {
    process.emit('message', message.message, undefined);
  }
});
// As a child's IPC channel (which the services unref), the port alone must not keep the thread alive.
port.unref();

if (ipc) {
  process.send = (message: unknown, ...rest: unknown[]) => {
    port.postMessage({ kind: IPC_MESSAGE, message });
    const callback = rest.find((argument) => typeof argument === 'function') as ((error: Error | null) => void) | undefined;
    callback?.(null);
    return true;
  };
}

await import(pathToFileURL(entry).href);
