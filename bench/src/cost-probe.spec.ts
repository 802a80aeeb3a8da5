import { describe, expect, it } from 'vitest';
import { HOST_OTHER, hostThreadSamples } from './cost-probe.ts';
import type { ProcStat } from './proc-stat.ts';

const thread = (tid: number, comm: string, ticks: number): ProcStat => ({ pid: tid, comm, ppid: 1, utime: ticks, stime: 1, cutime: 0, cstime: 0, starttime: 500 + tid });

describe('hostThreadSamples', () => {
  it('puts each service thread under its service (replicas too, names cut to 15 characters), every other thread (the main one included) under the host', () => {
    const samples = hostThreadSamples(
      [thread(100, 'MainThread', 50), thread(101, 'V8Worker', 7), thread(102, 'jobs', 20), thread(103, 'jobs#2', 10), thread(104, 'a-very-long-ser', 3), thread(105, 'libuv-worker', 2)],
      100,
      ['jobs', 'jobs#2', 'a-very-long-service-name'],
    );
    expect(samples.map(({ group, ticks, outsideStack }) => ({ group, ticks, outsideStack }))).toEqual([
      { group: HOST_OTHER, ticks: 51, outsideStack: undefined },
      { group: HOST_OTHER, ticks: 8, outsideStack: undefined },
      { group: 'jobs', ticks: 21, outsideStack: undefined },
      { group: 'jobs', ticks: 11, outsideStack: undefined },
      { group: 'a-very-long-service-name', ticks: 4, outsideStack: undefined },
      { group: HOST_OTHER, ticks: 3, outsideStack: undefined },
    ]);
  });

  it('tells a restarted service thread from the one before it, even under the same name', () => {
    const [before] = hostThreadSamples([thread(102, 'jobs', 20)], 100, ['jobs']);
    const [after] = hostThreadSamples([thread(107, 'jobs', 1)], 100, ['jobs']);
    expect(before!.key).not.toBe(after!.key);
  });
});
