import { describe, expect, it } from 'vitest';
import { ScrapeSamplers } from './scrape-samplers.ts';

describe('ScrapeSamplers', () => {
  it('runs one pass for every gauge that collects during a scrape', async () => {
    const samplers = new ScrapeSamplers(1000, 2000);
    let runs = 0;
    samplers.add(async () => {
      runs += 1;
    });
    await Promise.all([samplers.refresh(), samplers.refresh(), samplers.refresh()]);
    // Right after a pass, another scrape is served the figures just read.
    await samplers.refresh();
    expect(runs).toBe(1);
  });

  it('does not hold a scrape past its timeout for a source that does not answer, nor fail it for one that throws', async () => {
    const samplers = new ScrapeSamplers(0, 50);
    let fastDone = false;
    samplers.add(() => new Promise<void>(() => {}));
    samplers.add(async () => {
      throw new Error('NATS unreachable');
    });
    samplers.add(async () => {
      fastDone = true;
    });
    await expect(samplers.refresh()).resolves.toBeUndefined();
    expect(fastDone).toBe(true);
  });

  it('stops asking a sampler once it is removed (its consumer or relay stopped)', async () => {
    const samplers = new ScrapeSamplers(0, 1000);
    let runs = 0;
    const remove = samplers.add(async () => {
      runs += 1;
    });
    await samplers.refresh();
    remove();
    await samplers.refresh();
    expect(runs).toBe(1);
  });
});
