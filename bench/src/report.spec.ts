import { describe, expect, it } from 'vitest';
import { formatScaling, type ScalingReport } from './report.ts';

const run = (cpus: string, lifecyclesPerSec: number): ScalingReport['runs'][number] => ({
  cpus,
  cpuCount: cpus.split(',').length,
  lifecyclesPerSec,
  lifecycles: lifecyclesPerSec * 15,
  failures: 0,
  cpuMsPerLifecycle: 15,
  coresBusy: 1,
  notPinned: [],
});

describe('formatScaling', () => {
  it('sets the fastest pinned run against the escrow row ceiling', () => {
    const text = formatScaling(
      { durationS: 15, runs: [run('0', 50), run('0,1', 125)], efficiency: 1.25, escrowRow: { clients: 32, durationS: 5, tps: 2500, latencyAvgMs: 12.8 } },
      undefined,
    );
    expect(text).toContain('2500 hold-shaped statements/s through one row (pgbench, 32 clients) = 2500 lifecycles/s per currency');
    expect(text).toContain('placed 125.0 holds/s, 5.0 % of it');
  });

  it('says so when the ceiling could not be measured', () => {
    const text = formatScaling({ durationS: 15, runs: [run('0', 50)], efficiency: null, escrowRow: null }, undefined);
    expect(text).toContain('its ceiling: n/a (pgbench unavailable)');
  });
});
