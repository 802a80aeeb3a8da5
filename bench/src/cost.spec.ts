import { describe, expect, it } from 'vitest';
import { costFigures, cpuTicksByGroup, perLifecycle, scalingEfficiency, ticksToMs, type CostSnapshot } from './cost.ts';

const snapshot = (atMs: number, cpu: CostSnapshot['cpu'], xactCommit: number | null, streamSeqs: Record<string, number>): CostSnapshot => ({ atMs, cpu, xactCommit, streamSeqs });

describe('per-lifecycle arithmetic', () => {
  it('turns clock ticks into milliseconds', () => {
    expect(ticksToMs(150, 100)).toBe(1500);
    expect(ticksToMs(3, 250)).toBe(12);
  });

  it('spreads a figure over the completed lifecycles; none completed is NaN, not Infinity', () => {
    expect(perLifecycle(1010, 10)).toBe(101);
    expect(perLifecycle(5, 0)).toBeNaN();
  });

  it('sums the CPU of a group, counts a process started in the window from zero, ignores a reused pid', () => {
    const start = [
      { group: 'jobs', key: '10:1', ticks: 100 },
      { group: 'postgres backends', key: '20:1', ticks: 50 },
      { group: 'postgres backends', key: '30:1', ticks: 70 },
    ];
    const end = [
      { group: 'jobs', key: '10:1', ticks: 160 },
      { group: 'postgres backends', key: '20:1', ticks: 80 },
      // Same pid, another process (a later start time): all of its time is in the window.
      { group: 'postgres backends', key: '30:9', ticks: 5 },
      { group: 'postgres backends', key: '40:9', ticks: 12 },
    ];
    expect(cpuTicksByGroup(start, end)).toEqual(
      new Map([
        ['jobs', 60],
        ['postgres backends', 30 + 5 + 12],
      ]),
    );
  });

  it('gives CPU ms, transactions and messages per lifecycle, the stack total without the load generator', () => {
    const start = snapshot(
      1000,
      [
        { group: 'gateway', key: '1:1', ticks: 0 },
        { group: 'jobs', key: '2:1', ticks: 100 },
        { group: 'load generator (bench)', key: 'self', ticks: 10, outsideStack: true },
      ],
      500,
      { EVENTS: 1000, WORK: 3 },
    );
    const end = snapshot(
      11_000,
      [
        { group: 'gateway', key: '1:1', ticks: 50 },
        { group: 'jobs', key: '2:1', ticks: 300 },
        { group: 'load generator (bench)', key: 'self', ticks: 60, outsideStack: true },
      ],
      2200,
      { EVENTS: 1800, WORK: 3 },
    );
    const figures = costFigures({ start, end, lifecycles: 100, ticksPerSecond: 100, groupOrder: ['jobs', 'gateway'] });
    expect(figures.windowS).toBe(10);
    expect(figures.cpuMsPerLifecycle).toEqual([
      { name: 'jobs', ms: 20, outsideStack: false },
      { name: 'gateway', ms: 5, outsideStack: false },
      { name: 'load generator (bench)', ms: 5, outsideStack: true },
    ]);
    expect(figures.totalCpuMsPerLifecycle).toBe(25);
    // 3000 ms of CPU (load generator included) over a 10 s window.
    expect(figures.coresBusy).toBeCloseTo(0.3);
    expect(figures.xactsPerLifecycle).toBe(17);
    expect(figures.messagesPerLifecycle).toEqual({ EVENTS: 8, WORK: 0 });
  });

  it('reads transactions as n/a when Postgres statistics were unreadable', () => {
    const figures = costFigures({ start: snapshot(0, [], null, {}), end: snapshot(1000, [], 10, {}), lifecycles: 1, ticksPerSecond: 100 });
    expect(figures.xactsPerLifecycle).toBeNull();
  });
});

describe('scalingEfficiency', () => {
  it('is lifecycles/s on two CPUs over twice those on one', () => {
    expect(scalingEfficiency(7, 13)).toBeCloseTo(13 / 14);
    expect(scalingEfficiency(10, 10)).toBe(0.5);
    expect(scalingEfficiency(5, 20, 4)).toBe(1);
  });

  it('is null without a one-CPU figure', () => {
    expect(scalingEfficiency(0, 13)).toBeNull();
    expect(scalingEfficiency(Number.NaN, 13)).toBeNull();
  });
});
