import { describe, expect, it } from 'vitest';
import { measuredAtOf, recordedReport } from './results-file.ts';

const full = {
  finishedAt: '2026-12-06T06:00:00.000Z',
  load: [{ name: 'gateway' }],
  ratio: { gatewayOverBare: 0.5 },
  lifecycles: { lifecyclesPerSec: 100 },
  pgbench: { tps: 2000 },
  cost: { total: 15 },
  scaling: { efficiency: 1.3 },
  executor: { ratio: 0.95 },
  sse: { p99Ms: 30 },
};

describe('recordedReport', () => {
  it('keeps the figures of parts a run left out, with the time they were measured', () => {
    const sseOnly = { ...full, finishedAt: '2026-12-06T07:00:00.000Z', load: [], ratio: { gatewayOverBare: null }, lifecycles: null, pgbench: null, cost: null, scaling: null, executor: null, sse: { p99Ms: 25 } };
    const written = recordedReport(sseOnly, full);
    expect(written.sse).toEqual({ p99Ms: 25 });
    expect(written.lifecycles).toEqual({ lifecyclesPerSec: 100 });
    expect(written.cost).toEqual({ total: 15 });
    expect(written.load).toEqual([{ name: 'gateway' }]);
    expect(written.ratio).toEqual({ gatewayOverBare: 0.5 });
    expect(written.measuredAt).toEqual({
      http: full.finishedAt,
      lifecycles: full.finishedAt,
      pinned: full.finishedAt,
      executor: full.finishedAt,
      sse: sseOnly.finishedAt,
    });

    // A third run, of the lifecycles only: the SSE figures keep their own time, the carried-over ones theirs.
    const lifecyclesOnly = { ...sseOnly, finishedAt: '2026-12-06T08:00:00.000Z', lifecycles: { lifecyclesPerSec: 120 }, pgbench: { tps: 2100 }, cost: { total: 14 }, sse: null };
    const third = recordedReport(lifecyclesOnly, written);
    expect(third.lifecycles).toEqual({ lifecyclesPerSec: 120 });
    expect(third.sse).toEqual({ p99Ms: 25 });
    expect(third.measuredAt.sse).toBe(sseOnly.finishedAt);
    expect(third.measuredAt.http).toBe(full.finishedAt);
    expect(third.measuredAt.lifecycles).toBe(lifecyclesOnly.finishedAt);
  });

  it('leaves a part out when neither run measured it', () => {
    const written = recordedReport({ ...full, executor: null }, undefined);
    expect(written.executor).toBeNull();
    expect(written.measuredAt.executor).toBeUndefined();
  });

  it('reads the time of a part from files written before parts had their own', () => {
    expect(measuredAtOf({ finishedAt: full.finishedAt }, 'lifecycles')).toBe(full.finishedAt);
    expect(measuredAtOf({ finishedAt: full.finishedAt, measuredAt: { lifecycles: 'then' } }, 'lifecycles')).toBe('then');
  });
});
