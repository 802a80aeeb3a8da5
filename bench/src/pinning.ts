import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `Cpus_allowed_list` of /proc/<pid>/status, e.g. `0-1`; undefined if the process is gone. */
export async function readAffinity(pid: number): Promise<string | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
  } catch {
    return undefined;
  }
}

/** Sets the CPU list of every thread of `pid` (taskset -a). False if it failed (process gone, not permitted). */
export async function setAffinity(pid: number, cpus: string): Promise<boolean> {
  try {
    await run('taskset', ['-a', '-p', '-c', cpus, String(pid)]);
    return true;
  } catch {
    return false;
  }
}

export async function tasksetAvailable(): Promise<boolean> {
  try {
    await run('taskset', ['-V']);
    return true;
  } catch {
    return false;
  }
}

export interface Pinning {
  /** The processes that could be pinned, and those that could not (by name). */
  pinned: string[];
  failed: string[];
  /** Puts every process back on the CPUs it had; processes started meanwhile (new Postgres backends) get `fallback`. */
  restore(): Promise<void>;
}

/**
 * Pins every process `pids()` returns (all threads) to `cpus`. Processes
 * forked afterwards inherit the parent's list (Postgres backends from the
 * postmaster), so the parents must be among them. `restore` asks `pids()`
 * again, for processes started while pinned.
 */
export async function pinProcesses(pids: () => Promise<{ name: string; pid: number }[]>, cpus: string, fallback: string): Promise<Pinning> {
  const original = new Map<number, string>();
  const pinned = new Set<string>();
  const failed = new Set<string>();
  for (const { name, pid } of await pids()) {
    const before = await readAffinity(pid);
    if (before === undefined) continue;
    original.set(pid, before);
    if (await setAffinity(pid, cpus)) pinned.add(name);
    else failed.add(`${name} (pid ${pid})`);
  }
  return {
    pinned: [...pinned],
    failed: [...failed],
    async restore() {
      const now = await pids();
      for (const { pid } of now) await setAffinity(pid, original.get(pid) ?? fallback);
      for (const [pid, cpusBefore] of original) if (!now.some((p) => p.pid === pid)) await setAffinity(pid, cpusBefore);
    },
  };
}
