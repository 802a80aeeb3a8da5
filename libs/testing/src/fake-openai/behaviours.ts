import type { FakeBehaviour } from './types.ts';

const KINDS_WITHOUT_FIELDS = new Set(['hang', 'malformed', 'insufficient_quota', 'bad_request', 'unauthorized']);

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Checks a behaviour that came from outside the type system (HTTP, or a caller's cast); returns it or says what is wrong. */
export function parseBehaviour(input: unknown): { behaviour: FakeBehaviour } | { problem: string } {
  if (typeof input !== 'object' || input === null) return { problem: 'a behaviour must be an object with a kind' };
  const candidate = input as Record<string, unknown>;
  const kind = candidate['kind'];
  if (kind === 'ok') {
    const { latencyMs, content, echo } = candidate;
    if (latencyMs !== undefined && !isNonNegativeNumber(latencyMs)) return { problem: 'ok.latencyMs must be a number >= 0' };
    if (content !== undefined && typeof content !== 'string') return { problem: 'ok.content must be a string' };
    if (echo !== undefined && typeof echo !== 'boolean') return { problem: 'ok.echo must be a boolean' };
    return {
      behaviour: {
        kind,
        ...(latencyMs === undefined ? {} : { latencyMs }),
        ...(content === undefined ? {} : { content }),
        ...(echo === undefined ? {} : { echo }),
      },
    };
  }
  if (kind === 'rate_limited') {
    const { retryAfterSeconds } = candidate;
    if (!isNonNegativeNumber(retryAfterSeconds)) return { problem: 'rate_limited.retryAfterSeconds must be a number >= 0' };
    return { behaviour: { kind, retryAfterSeconds } };
  }
  if (kind === 'server_error') {
    const { status } = candidate;
    if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 500 && (status as number) <= 599)) {
      return { problem: 'server_error.status must be an integer from 500 to 599' };
    }
    return { behaviour: status === undefined ? { kind } : { kind, status: status as number } };
  }
  if (typeof kind === 'string' && KINDS_WITHOUT_FIELDS.has(kind)) return { behaviour: { kind } as FakeBehaviour };
  return { problem: `unknown behaviour kind ${JSON.stringify(kind)}` };
}

/** Like parseBehaviour, for programmatic callers: throws on a behaviour that is not valid. */
export function checkedBehaviour(input: FakeBehaviour): FakeBehaviour {
  const parsed = parseBehaviour(input);
  if ('problem' in parsed) throw new TypeError(`fake-openai: ${parsed.problem}`);
  return parsed.behaviour;
}

/** Behaviours waiting for the next requests, in order, and the one that applies when none wait. */
export class BehaviourQueue {
  readonly #initialDefault: FakeBehaviour;
  #queue: FakeBehaviour[] = [];
  #default: FakeBehaviour;

  constructor(initialDefault: FakeBehaviour) {
    this.#initialDefault = initialDefault;
    this.#default = initialDefault;
  }

  get length(): number {
    return this.#queue.length;
  }

  get default(): FakeBehaviour {
    return this.#default;
  }

  enqueue(behaviours: FakeBehaviour[]): void {
    this.#queue.push(...behaviours);
  }

  setDefault(behaviour: FakeBehaviour): void {
    this.#default = behaviour;
  }

  /** The behaviour for the request that arrives now. */
  next(): FakeBehaviour {
    return this.#queue.shift() ?? this.#default;
  }

  reset(): void {
    this.#queue = [];
    this.#default = this.#initialDefault;
  }
}
