import fc from 'fast-check';
import { judge } from './checks.ts';
import { signatureOf, type Failure } from './failure-log.ts';
import { send } from './http.ts';
import { operationName, type Operation } from './openapi.ts';
import type { SweepSettings } from './run-sweep.ts';
import type { Sample, SampleArbitrary } from './sample.ts';

/** Sends one sample (and its control or twin when needed) and judges the answers. */
async function exchange(operation: Operation, sample: Sample, settings: SweepSettings) {
  const response = await send(settings.baseUrl, settings.fixtures, sample.request);
  settings.tally.add(operation, sample.expect.kind, response.status);
  const control = sample.control ? await send(settings.baseUrl, settings.fixtures, sample.control) : undefined;
  if (control) settings.tally.add(operation, sample.expect.kind, control.status);
  let problems = judge(sample.expect, response, control);
  if (sample.twin && problems.some((problem) => problem.kind === 'field not named')) {
    const twin = await send(settings.baseUrl, settings.fixtures, sample.twin);
    settings.tally.add(operation, sample.expect.kind, twin.status);
    if (twin.status === 400) problems = problems.filter((problem) => problem.kind !== 'field not named');
  }
  return { response, problems };
}

/**
 * First every listed example of the class, once (they are fixed and need no
 * shrinking). Then the property: it stops at its first failure, so it runs
 * again with the next seed, treating the failures already found as passes,
 * and the next round shrinks the next different failure. Each shrunk
 * counterexample stays replayable with its round's seed and path.
 */
export async function runProperty(name: string, operation: Operation, arbitrary: SampleArbitrary, numRuns: number, settings: SweepSettings): Promise<void> {
  const known = new Set<string>();
  const examples = settings.path ? [] : (arbitrary.examples ?? []);
  for (const [index, sample] of examples.entries()) {
    const { response, problems } = await exchange(operation, sample, settings);
    if (problems.length === 0) continue;
    const failure = settings.log.observe(operationName(operation), sample, response, problems);
    if (known.has(failure.signature)) continue;
    known.add(failure.signature);
    settings.log.pin(failure, `SWEEP_ONLY='${name}' (listed example ${index + 1} of ${examples.length}, sent on every run)`);
  }
  for (let round = 0; round < settings.rounds; round++) {
    const found = await oneRound(name, operation, arbitrary, numRuns, { ...settings, seed: settings.seed + round }, known);
    if (!found) return;
    known.add(found);
  }
}

/** One fast-check run; returns the signature of the shrunk counterexample, if any. */
async function oneRound(name: string, operation: Operation, arbitrary: SampleArbitrary, numRuns: number, settings: SweepSettings, known: Set<string>): Promise<string | undefined> {
  let lastFailure: Failure | undefined;
  let shrinkRequests = 0;
  const predicate = async (sample: Sample) => {
    // Past the budget every candidate "passes" without a request: fast-check stops shrinking at the last failure.
    if (lastFailure && ++shrinkRequests > settings.shrinkBudget) return true;
    const { response, problems } = await exchange(operation, sample, settings);
    if (problems.length === 0 || known.has(signatureOf(operationName(operation), sample, response, problems))) return true;
    lastFailure = settings.log.observe(operationName(operation), sample, response, problems);
    throw new Error(problems.map((problem) => `${problem.kind}: ${problem.detail}`).join('; '));
  };
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    seed: settings.seed,
    numRuns,
    ...(settings.path ? { path: settings.path } : {}),
  });
  if (!details.failed) return undefined;
  if (!lastFailure) {
    // The sweep itself broke (a generator threw): say so instead of passing silently.
    const error = String((details.errorInstance as Error | undefined)?.stack ?? details.errorInstance);
    settings.log.add({ signature: `${name} | sweep error`, operation: operationName(operation), note: 'the property failed outside a request', request: '', status: 0, body: error.slice(0, 500), problems: [] });
    return undefined;
  }
  // fast-check adopts every failing candidate while shrinking, so the last failure seen is the shrunk counterexample.
  const skip = known.size > 0 ? ' (earlier failures of this property count as passes: replay with the same SWEEP_ONLY)' : '';
  settings.log.pin(lastFailure, `SWEEP_SEED=${details.seed} SWEEP_ONLY='${name}' SWEEP_PATH='${details.counterexamplePath}', ${details.numShrinks} shrinks${skip}`);
  return lastFailure.signature;
}
