import { isMainThread } from 'node:worker_threads';
import { SERVICE_ENV_DEFAULTS, SERVICE_NODE_FLAGS } from './service-node-options.ts';

/**
 * Makes this process run with the V8 flags and environment of a service
 * process (service-node-options.ts), by replacing it in place (execve: same
 * pid, same parent, same terminal) with itself started with them, unless it
 * already has them. For a process that hosts services as worker threads: the
 * flags are the process's, and glibc reads MALLOC_* only when it starts.
 * Where execve is unavailable (Windows, a worker thread) it goes on without.
 */
export function ensureServiceRuntime(flags: readonly string[] = SERVICE_NODE_FLAGS): void {
  const missingFlags = flags.filter((flag) => !process.execArgv.includes(flag));
  const missingEnv = Object.keys(SERVICE_ENV_DEFAULTS).filter((name) => process.env[name] === undefined);
  if (missingFlags.length === 0 && missingEnv.length === 0) return;
  if (!isMainThread || typeof process.execve !== 'function') return;
  process.execve(process.execPath, [process.execPath, ...missingFlags, ...process.execArgv, ...process.argv.slice(1)], { ...SERVICE_ENV_DEFAULTS, ...process.env });
}
