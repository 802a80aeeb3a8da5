import fc from 'fast-check';
import type { BaseParts } from './base-request.ts';
import type { Fixtures } from './fixtures.ts';
import type { SweepRequest } from './http.ts';
import type { Operation } from './openapi.ts';

/** What the contract (API.md) says the answer to a sample must be, beyond "no 5xx, documented error shape". */
export interface Expectation {
  /** The input class, e.g. `nul`, `forged-cursor`, `valid`. */
  kind: string;
  /** Hostile input must be refused: any 2xx/3xx is a failure. */
  hostile: boolean;
  /** The only acceptable statuses, when the contract names them. */
  statuses?: number[];
  /** The error code, when the contract names it. */
  code?: string;
  /** A field name that must appear as a dotted segment of some key of `error.details`. */
  names?: string;
}

export interface Sample {
  request: SweepRequest;
  expect: Expectation;
  /** Human words for what is odd about this request (`NUL in body.name`). */
  note: string;
  /** A second request whose answer the first is judged against (empty body vs `{}`). */
  control?: SweepRequest;
  /**
   * The same request with the hostile part made harmless. Sent only when a
   * 400 fails to name the field: if the twin is refused too, the generated
   * base was invalid on its own and the sample proves nothing.
   */
  twin?: SweepRequest;
  /** Which flavour of the class (`foreign`, `bad-encoding`…): distinct flavours are distinct failures. */
  variant?: string;
}

/** Everything an input class needs to build samples for one operation. */
export interface ClassKit {
  operation: Operation;
  fixtures: Fixtures;
  /** Valid parts in hostile mode (the fitting credential, real ids preferred). */
  base: fc.Arbitrary<BaseParts>;
}

/**
 * Samples of one class for one operation. `examples` are sent once before
 * the property runs, on every run: one per field or per listed variant where
 * the class promises to cover them all, not only those the random runs pick.
 */
export type SampleArbitrary = fc.Arbitrary<Sample> & { examples?: Sample[] };

/**
 * Adds examples built on one base request drawn with a fixed seed: the same
 * bytes on every run and every replay, for classes whose variants are a list
 * that should be sent in full rather than sampled.
 */
export function withExamples(arbitrary: fc.Arbitrary<Sample>, kit: ClassKit, build: (base: BaseParts) => Sample[]): SampleArbitrary {
  const [base] = fc.sample(kit.base, { seed: 42, numRuns: 1 });
  const withList: SampleArbitrary = arbitrary;
  if (base) withList.examples = [...(withList.examples ?? []), ...build(base)];
  return withList;
}

/** Builds the samples of one input class for one operation, or undefined when the class does not apply. */
export type InputClass = (kit: ClassKit) => SampleArbitrary | undefined;
