import { baseParts } from './base-request.ts';
import type { FailureLog } from './failure-log.ts';
import type { Fixtures } from './fixtures.ts';
import { operationName, type Operation } from './openapi.ts';
import { runProperty } from './property.ts';
import type { InputClass } from './sample.ts';
import type { Tally } from './tally.ts';

export interface SweepSettings {
  baseUrl: string;
  fixtures: Fixtures;
  log: FailureLog;
  tally: Tally;
  /** One seed for every property of the run: printed, and enough to replay the run. */
  seed: number;
  /** Runs per property, by input class (a class not listed gets `defaultRuns`). */
  runs: Record<string, number>;
  defaultRuns: number;
  /** Requests one property may spend shrinking a failure; the smallest failure so far is kept after that. */
  shrinkBudget: number;
  /** Most distinct failures one property hunts for (one fast-check run each). */
  rounds: number;
  /** Properties in flight at once (the gateway is one process; two cores are shared). */
  concurrency: number;
  /** Only properties whose name contains this (SWEEP_ONLY), and the fast-check path to replay (SWEEP_PATH). */
  only?: string;
  path?: string;
}

/**
 * One fast-check property per (operation, input class): generate a sample,
 * send it, judge the answer. A failing property shrinks to a minimal request
 * and the sweep moves on, so one run collects the failures of every route.
 */
export async function runSweep(operations: Operation[], classes: Record<string, InputClass>, mode: 'valid' | 'hostile', settings: SweepSettings): Promise<number> {
  const properties: (() => Promise<void>)[] = [];
  for (const operation of operations) {
    for (const [kind, inputClass] of Object.entries(classes)) {
      const name = `${operationName(operation)} ${kind}`;
      if (settings.only && !name.includes(settings.only)) continue;
      const arbitrary = inputClass({ operation, fixtures: settings.fixtures, base: baseParts(operation, settings.fixtures, mode) });
      if (arbitrary) properties.push(() => runProperty(name, operation, arbitrary, settings.runs[kind] ?? settings.defaultRuns, settings));
    }
  }
  await inPool(properties, settings.concurrency);
  return properties.length;
}

async function inPool(tasks: (() => Promise<void>)[], concurrency: number): Promise<void> {
  const queue = [...tasks];
  const worker = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
