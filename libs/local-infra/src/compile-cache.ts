import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COMPILE_CACHE_DIR, SERVICE_NODE_FLAGS } from './service-node-options.ts';

const WARMUP_SCRIPT = fileURLToPath(new URL('./compile-cache-warmup.ts', import.meta.url));

/**
 * Strips every TypeScript file the entries import into the compile cache the
 * service processes read (see compile-cache-warmup.ts), in a short-lived child
 * with the services' V8 flags, so their V8 code cache is accepted too. Files
 * unchanged since the last run are found there and cost next to nothing.
 * Never fails: without the cache the services only start slower and larger.
 */
export function warmCompileCache(entries: string[], options: { cacheDir?: string; timeoutMs?: number; log?: (line: string) => void } = {}): Promise<void> {
  const cacheDir = options.cacheDir ?? process.env.NODE_COMPILE_CACHE ?? COMPILE_CACHE_DIR;
  return new Promise((resolve) => {
    // Only what Node needs: no bus or database settings reach a process that must run nothing.
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, WARMUP_SCRIPT, ...entries], {
      env: { PATH: process.env.PATH ?? '', NODE_COMPILE_CACHE: cacheDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    const done = (how: string) => {
      clearTimeout(timer);
      if (how !== 'exit code 0' || errors.trim() !== '') options.log?.(`compile-cache warm-up ended with ${how}: ${errors.trim().split('\n').slice(-3).join(' | ')}`);
      resolve();
    };
    // 'close', not 'exit': by then its stderr has been read to the end.
    child.once('close', (code, signal) => done(signal ? `signal ${signal}` : `exit code ${code}`));
    child.once('error', (error) => done(`spawn failure: ${error.message}`));
  });
}
