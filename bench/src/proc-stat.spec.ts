import { describe, expect, it } from 'vitest';
import { parseProcStat, readThreadStats } from './proc-stat.ts';

// A real line of a Node process (fields 1..52), with the CPU fields 14..17 set apart.
const NODE_LINE =
  '24360 (node) S 24115 24115 24115 0 -1 4194304 30511 0 0 0 1234 567 89 10 20 0 11 0 987654 1234567890 45678 18446744073709551615 1 1 0 0 0 0 0 16781312 134234626 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0';

describe('parseProcStat', () => {
  it('reads pid, command, parent, CPU ticks and start time', () => {
    expect(parseProcStat(NODE_LINE)).toEqual({ pid: 24360, comm: 'node', ppid: 24115, utime: 1234, stime: 567, cutime: 89, cstime: 10, starttime: 987654 });
  });

  it('counts fields from the last parenthesis: a command name may hold spaces and parentheses', () => {
    const line = NODE_LINE.replace('(node)', '(we ird) (name)');
    const stat = parseProcStat(line);
    expect(stat.comm).toBe('we ird) (name');
    expect(stat.ppid).toBe(24115);
    expect(stat.utime).toBe(1234);
    expect(stat.starttime).toBe(987654);
  });

  it('refuses what is not a stat line', () => {
    expect(() => parseProcStat('no parentheses here')).toThrow(/not a \/proc/);
    expect(() => parseProcStat('12 (short) S 1')).toThrow(/field/);
  });
});

describe.runIf(process.platform === 'linux')('readThreadStats', () => {
  it('lists the threads of a process, its main thread under the process id', async () => {
    const threads = await readThreadStats(process.pid);
    expect(threads.length).toBeGreaterThan(1);
    expect(threads.some((stat) => stat.pid === process.pid)).toBe(true);
  });

  it('is empty for a process that does not exist', async () => {
    expect(await readThreadStats(2 ** 22 + 1)).toEqual([]);
  });
});
