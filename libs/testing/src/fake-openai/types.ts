/** What the fake does with one chat completion request. */
export type FakeBehaviour =
  /** `echo`: the answer is the whole prompt, every message as "role: content" (for tests of what reaches the model and what leaves it). */
  | { kind: 'ok'; latencyMs?: number; content?: string; echo?: boolean }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'server_error'; status?: number }
  | { kind: 'hang' }
  | { kind: 'malformed' }
  | { kind: 'insufficient_quota' }
  | { kind: 'bad_request' }
  | { kind: 'unauthorized' };

export type FakeBehaviourKind = FakeBehaviour['kind'];

/** A chat completion request as the fake received it, for assertions. */
export interface ReceivedRequest {
  /** Arrival time, epoch milliseconds. */
  at: number;
  model: string;
  /** Content parts (arrays) are joined into one string. */
  messages: { role: string; content: string }[];
  authorization: string | undefined;
  /** What the fake answered; a request rejected by validation or the API key shows 'bad_request' or 'unauthorized'. */
  behaviour: FakeBehaviourKind;
}

export interface FakeOpenAiOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  host?: string;
  /** Latency of an 'ok' answer that names none of its own. */
  latencyMs?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export interface FakeOpenAi {
  /** Base URL for the SDK, ending in /v1, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  port: number;
  /** The next requests get these behaviours, in order; then the default. */
  enqueue(...behaviours: FakeBehaviour[]): void;
  /** What a request gets when the queue is empty (initially { kind: 'ok', latencyMs: options.latencyMs ?? 0 }). */
  setDefault(behaviour: FakeBehaviour): void;
  /** Every request received, oldest first. */
  readonly requests: ReceivedRequest[];
  /** The most requests that were in flight at the same moment (for concurrency tests). */
  readonly maxConcurrent: number;
  /** Clears the queue, the requests and maxConcurrent, and restores the default. */
  reset(): void;
  stop(): Promise<void>;
}
