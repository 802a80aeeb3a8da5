import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** The fields of /proc/<pid>/stat the bench reads (proc(5)); CPU times in clock ticks. */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** Time in user mode, clock ticks (field 14). */
  utime: number;
  /** Time in kernel mode, clock ticks (field 15). */
  stime: number;
  /** Of children this process has waited for (fields 16, 17): the CPU of its exited children. */
  cutime: number;
  cstime: number;
  /** Clock ticks after boot at which the process started (field 22): tells a reused pid from the same process. */
  starttime: number;
}

/**
 * Parses the one line of /proc/<pid>/stat. The command name (field 2) is in
 * parentheses and may itself hold spaces and parentheses, so the fields are
 * counted from the last ')'.
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  const pid = Number(line.slice(0, open).trim());
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const rest = line.slice(close + 1).trim().split(/\s+/);
  const field = (n: number) => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc/${pid}/stat: field ${n} is not a number`);
    return value;
  };
  return {
    pid,
    comm: line.slice(open + 1, close),
    ppid: field(4),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
    starttime: field(22),
  };
}

/** undefined when the process is gone (or this is not Linux). */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every live thread of `pid` (/proc/<pid>/task/<tid>/stat: `pid` is then the thread's id, `comm` its name); empty if the process is gone. */
export async function readThreadStats(pid: number): Promise<ProcStat[]> {
  let tids: string[];
  try {
    tids = await readdir(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const stats = await Promise.all(
    tids.map(async (tid) => {
      try {
        return parseProcStat(await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      } catch {
        // The thread ended between the listing and the read.
        return undefined;
      }
    }),
  );
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
}

/** The process title (Postgres backends rewrite theirs: `postgres: 15/main: user db 127.0.0.1(port) idle`). */
export async function readCmdline(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** Every live process whose parent is `ppid`. */
export async function childrenOf(ppid: number): Promise<ProcStat[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const stats = await Promise.all(entries.filter((entry) => /^\d+$/.test(entry)).map((entry) => readProcStat(Number(entry))));
  return stats.filter((stat): stat is ProcStat => stat !== undefined && stat.ppid === ppid);
}

/** USER_HZ, the unit of the CPU fields of /proc/<pid>/stat: `getconf CLK_TCK`, 100 on every Linux we know of. */
export async function clockTicksPerSecond(): Promise<number> {
  try {
    const { stdout } = await promisify(execFile)('getconf', ['CLK_TCK']);
    const value = Number(stdout.trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** Busy and total CPU time of the whole machine (the first line of /proc/stat), or undefined off Linux. */
export async function machineJiffies(): Promise<{ busy: number; total: number } | undefined> {
  try {
    const fields = ((await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    // idle and iowait are the time no CPU worked.
    return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
  } catch {
    return undefined;
  }
}
