import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_ENV_DEFAULTS, SERVICE_NODE_FLAGS } from './service-node-options.ts';

const HOST_RUNTIME = new URL('./host-runtime.ts', import.meta.url).href;

/** Runs a script that calls ensureServiceRuntime(flags) and then says what it runs with; its pid as spawned beside. */
function runHost(flags: readonly string[] | undefined, env: Record<string, string> = {}): Promise<{ spawnedPid: number; seen: { pid: number; execArgv: string[]; env: Record<string, string | undefined>; gc: string } }> {
  const script = `
    import { ensureServiceRuntime } from ${JSON.stringify(HOST_RUNTIME)};
    ensureServiceRuntime(${flags === undefined ? '' : JSON.stringify(flags)});
    const names = ${JSON.stringify(Object.keys(SERVICE_ENV_DEFAULTS))};
    console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv, env: Object.fromEntries(names.map((name) => [name, process.env[name]])), gc: typeof globalThis.gc }));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', () => {
      try {
        resolve({ spawnedPid: child.pid!, seen: JSON.parse(output) });
      } catch (error) {
        reject(new Error(`no report from the host script: ${String(error)}; output: ${output}`));
      }
    });
  });
}

describe.runIf(process.platform !== 'win32')('ensureServiceRuntime', () => {
  it("restarts the process in place (same pid) with the services' flags and environment defaults", async () => {
    const { spawnedPid, seen } = await runHost(undefined);
    expect(seen.pid).toBe(spawnedPid);
    expect(seen.execArgv).toEqual(expect.arrayContaining([...SERVICE_NODE_FLAGS]));
    expect(seen.env).toEqual(SERVICE_ENV_DEFAULTS);
    expect(seen.gc).toBe('function');
  });

  it('keeps what the environment already says, and adds only the flags asked for', async () => {
    const { seen } = await runHost(['--expose-gc'], { MALLOC_ARENA_MAX: '4' });
    expect(seen.env.MALLOC_ARENA_MAX).toBe('4');
    expect(seen.execArgv.filter((flag) => flag.startsWith('--max-semi-space-size'))).toEqual([]);
    expect(seen.gc).toBe('function');
  });

  it('leaves a process that has all it asks for as it is', async () => {
    const { spawnedPid, seen } = await runHost([], { ...SERVICE_ENV_DEFAULTS });
    expect(seen.pid).toBe(spawnedPid);
    expect(seen.execArgv.filter((flag) => SERVICE_NODE_FLAGS.includes(flag))).toEqual([]);
    expect(seen.gc).toBe('undefined');
  });
});

