import { readFile } from 'node:fs/promises';

export interface WatchedProcess {
  name: string;
  pid: number | undefined;
  /** Only for processes we write; third-party ones (nats-server) are shown without a target. */
  targetMb?: number;
}

export interface RssSample {
  name: string;
  pid: number | null;
  rssMb: number | null;
  targetMb: number | null;
}

/** Resident set size from /proc, in kB; undefined if the process is gone (or not on Linux). */
export async function readRssKb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function sampleRss(processes: WatchedProcess[]): Promise<RssSample[]> {
  return Promise.all(
    processes.map(async (process) => {
      const kb = process.pid === undefined ? undefined : await readRssKb(process.pid);
      return {
        name: process.name,
        pid: process.pid ?? null,
        rssMb: kb === undefined ? null : Math.round((kb / 1024) * 10) / 10,
        targetMb: process.targetMb ?? null,
      };
    }),
  );
}
