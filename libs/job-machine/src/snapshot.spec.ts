import { describe, expect, it } from 'vitest';
import { EXPECTED_STATUSES } from './expected-lifecycle.ts';
import { createJobSnapshot, migrateJobSnapshot } from './snapshot.ts';
import { transitionJob } from './transition.ts';
import { JOB_MACHINE_VERSION, type PersistedJobSnapshot } from './types.ts';

const valid: PersistedJobSnapshot = { machineVersion: 1, status: 'delivered', context: { revisionCount: 1, maxRevisions: 3 } };

describe('createJobSnapshot', () => {
  it('starts pending, with no revision used, at the current machine version', () => {
    expect(createJobSnapshot({ maxRevisions: 3 })).toEqual({ machineVersion: JOB_MACHINE_VERSION, status: 'pending', context: { revisionCount: 0, maxRevisions: 3 } });
    expect(createJobSnapshot({ maxRevisions: 0 }).context).toEqual({ revisionCount: 0, maxRevisions: 0 });
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects maxRevisions %s', (maxRevisions) => {
    expect(() => createJobSnapshot({ maxRevisions })).toThrow(/maxRevisions must be a non-negative integer/);
  });
});

describe('snapshot round trip', () => {
  it('survives JSON.stringify/parse and migrateJobSnapshot unchanged, then keeps working', () => {
    let snapshot = createJobSnapshot({ maxRevisions: 2 });
    for (const event of [
      { type: 'start', role: 'worker' },
      { type: 'deliver', role: 'worker' },
      { type: 'request_revision', role: 'client' },
    ] as const) {
      const stored = JSON.parse(JSON.stringify(snapshot)) as unknown;
      const loaded = migrateJobSnapshot(stored);
      expect(loaded).toEqual(snapshot);
      const result = transitionJob(loaded, event);
      if (!result.ok) throw new Error(`${event.type} refused: ${result.reason}`);
      snapshot = result.snapshot;
    }
    expect(migrateJobSnapshot(JSON.parse(JSON.stringify(snapshot)))).toEqual({
      machineVersion: 1,
      status: 'revision_requested',
      context: { revisionCount: 1, maxRevisions: 2 },
    });
  });

  it('loads every status', () => {
    for (const status of EXPECTED_STATUSES) {
      expect(migrateJobSnapshot({ ...valid, status }).status).toBe(status);
    }
  });

  it('returns a fresh object holding only the known fields', () => {
    const stored = { ...valid, context: { ...valid.context, extra: true }, note: 'legacy' };
    const loaded = migrateJobSnapshot(stored);
    expect(loaded).toEqual(valid);
    expect(loaded).not.toBe(stored);
    expect(loaded.context).not.toBe(stored.context);
  });
});

describe('migrateJobSnapshot rejects', () => {
  it.each([null, undefined, 42, 'pending', '{"machineVersion":1}', [], [valid], true])('garbage: %j', (stored) => {
    expect(() => migrateJobSnapshot(stored)).toThrow(/Invalid job snapshot: expected an object/);
  });

  it.each([undefined, null, 0, -1, 1.5, '1', Number.NaN])('an unknown machineVersion: %j', (machineVersion) => {
    expect(() => migrateJobSnapshot({ ...valid, machineVersion })).toThrow(/unknown machineVersion/);
  });

  it('a machineVersion newer than this code', () => {
    expect(() => migrateJobSnapshot({ ...valid, machineVersion: JOB_MACHINE_VERSION + 1 })).toThrow(
      /machineVersion 2 is newer than this job machine \(version 1\)/,
    );
  });

  it.each(['teleported', 'Pending', '', 7, null, undefined])('a status that does not exist: %j', (status) => {
    expect(() => migrateJobSnapshot({ ...valid, status })).toThrow(/status .* does not exist/);
  });

  it.each([
    [undefined, /context must be an object/],
    ['{}', /context must be an object/],
    [{ maxRevisions: 3 }, /context.revisionCount must be a non-negative integer, got undefined/],
    [{ revisionCount: -1, maxRevisions: 3 }, /context.revisionCount must be a non-negative integer/],
    [{ revisionCount: 0, maxRevisions: '3' }, /context.maxRevisions must be a non-negative integer, got "3"/],
    [{ revisionCount: Number.NaN, maxRevisions: 3 }, /context.revisionCount must be a non-negative integer, got NaN/],
    [{ revisionCount: 4, maxRevisions: 3 }, /revisionCount 4 exceeds context.maxRevisions 3/],
  ])('a broken context: %j', (context, message) => {
    expect(() => migrateJobSnapshot({ ...valid, context })).toThrow(message);
  });
});
