import { initialTransition, type SnapshotFrom } from 'xstate';
import { JOB_STATUSES, type JobStatus } from '@agentmarket/contracts';
import { jobMachine } from './job.machine.ts';
import { JOB_MACHINE_VERSION, type JobMachineContext, type PersistedJobSnapshot } from './types.ts';

type JobMachineSnapshot = SnapshotFrom<typeof jobMachine>;

/**
 * Upgrades from version N to N + 1, keyed by N. Version 1 is the first, so
 * there are none yet; a machine change that alters stored snapshots adds one.
 */
const UPGRADES: Readonly<Record<number, (stored: Record<string, unknown>) => Record<string, unknown>>> = {};

/** The snapshot of a new job: pending, no revisions used. */
export function createJobSnapshot(input: { maxRevisions: number }): PersistedJobSnapshot {
  assertCount(input.maxRevisions, 'createJobSnapshot: maxRevisions');
  const [initial] = initialTransition(jobMachine, { maxRevisions: input.maxRevisions });
  return toPersisted(initial);
}

/** Upgrades a stored snapshot to JOB_MACHINE_VERSION; throws a clear Error for an unknown/newer version or a status that does not exist. */
export function migrateJobSnapshot(stored: unknown): PersistedJobSnapshot {
  if (!isPlainObject(stored)) throw new Error(`Invalid job snapshot: expected an object, got ${show(stored)}`);
  let current = stored;
  let version = current.machineVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`Invalid job snapshot: unknown machineVersion ${show(version)}`);
  }
  if (version > JOB_MACHINE_VERSION) {
    throw new Error(`Invalid job snapshot: machineVersion ${version} is newer than this job machine (version ${JOB_MACHINE_VERSION})`);
  }
  while (version < JOB_MACHINE_VERSION) {
    const upgrade = UPGRADES[version];
    if (!upgrade) throw new Error(`Invalid job snapshot: no upgrade from machineVersion ${version}`);
    current = upgrade(current);
    version += 1;
  }
  return { machineVersion: JOB_MACHINE_VERSION, status: readStatus(current.status), context: readContext(current.context) };
}

/** The machine's view of a stored snapshot (a fresh context: the input is never shared). */
export function toMachineSnapshot(snapshot: PersistedJobSnapshot): JobMachineSnapshot {
  if (snapshot.machineVersion !== JOB_MACHINE_VERSION) {
    throw new Error(
      `Job snapshot has machineVersion ${snapshot.machineVersion}, this machine is version ${JOB_MACHINE_VERSION}: pass it through migrateJobSnapshot first`,
    );
  }
  const { revisionCount, maxRevisions } = snapshot.context;
  return jobMachine.resolveState({ value: snapshot.status, context: { revisionCount, maxRevisions } });
}

/** The plain-JSON form of a machine snapshot. */
export function toPersisted(snapshot: JobMachineSnapshot): PersistedJobSnapshot {
  const { revisionCount, maxRevisions } = snapshot.context;
  return { machineVersion: JOB_MACHINE_VERSION, status: snapshot.value, context: { revisionCount, maxRevisions } };
}

function readStatus(status: unknown): JobStatus {
  if (typeof status === 'string' && (JOB_STATUSES as readonly string[]).includes(status)) return status as JobStatus;
  throw new Error(`Invalid job snapshot: status ${show(status)} does not exist (expected one of ${JOB_STATUSES.join(', ')})`);
}

function readContext(context: unknown): JobMachineContext {
  if (!isPlainObject(context)) throw new Error(`Invalid job snapshot: context must be an object, got ${show(context)}`);
  const { revisionCount, maxRevisions } = context;
  assertCount(revisionCount, 'Invalid job snapshot: context.revisionCount');
  assertCount(maxRevisions, 'Invalid job snapshot: context.maxRevisions');
  if (revisionCount > maxRevisions) {
    throw new Error(`Invalid job snapshot: context.revisionCount ${revisionCount} exceeds context.maxRevisions ${maxRevisions}`);
  }
  return { revisionCount, maxRevisions };
}

function assertCount(value: unknown, label: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${label} must be a non-negative integer, got ${show(value)}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined || typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value)?.slice(0, 80) ?? String(value);
  } catch {
    return String(value);
  }
}
