import type { ExecutorStatus } from '@agentmarket/contracts';

export type CircuitState = ExecutorStatus['circuit'];

export type Admission = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number };

export interface CircuitOptions {
  /** Consecutive retryable failures that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before one probe call is let through. */
  openMs: number;
  now?: () => number;
  /** Told when the circuit opens (after failures or a failed probe) and when it closes again. */
  onChange?: (change: 'opened' | 'closed') => void;
}

// While the probe is out, other work looks again this soon (or after openMs, if that is shorter).
const PROBE_WAIT_MS = 1000;

/**
 * One replica's view of the provider. Closed: every call goes. After
 * `failureThreshold` consecutive retryable failures it opens: no call goes
 * for `openMs`. Then it is half-open: exactly one probe goes; its success
 * closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly openMs: number;
  private readonly now: () => number;
  private readonly onChange: (change: 'opened' | 'closed') => void;
  private consecutiveFailures = 0;
  private openUntil: number | null = null;
  private probeInFlight = false;

  constructor(options: CircuitOptions) {
    this.failureThreshold = options.failureThreshold;
    this.openMs = options.openMs;
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange ?? (() => {});
  }

  state(): CircuitState {
    if (this.openUntil === null) return 'closed';
    return this.now() < this.openUntil ? 'open' : 'half_open';
  }

  /** How long new work should wait before asking again; 0 when it may go now (closed, or half-open with no probe out). */
  waitMs(): number {
    const state = this.state();
    if (state === 'closed') return 0;
    if (state === 'open') return (this.openUntil ?? 0) - this.now();
    return this.probeInFlight ? Math.min(PROBE_WAIT_MS, this.openMs) : 0;
  }

  /** Asks to make one call now; a half-open circuit lets exactly one probe through. */
  admit(): Admission {
    const wait = this.waitMs();
    if (wait > 0) return { allowed: false, retryInMs: wait };
    if (this.state() === 'half_open') {
      this.probeInFlight = true;
      return { allowed: true, probe: true };
    }
    return { allowed: true, probe: false };
  }

  /** The provider answered (a completion, or a refusal that is no outage): the circuit closes. */
  recordAnswer(): void {
    const wasOpen = this.openUntil !== null;
    this.consecutiveFailures = 0;
    this.openUntil = null;
    this.probeInFlight = false;
    if (wasOpen) this.onChange('closed');
  }

  /** A retryable failure (429, 5xx, timeout, connection, malformed). */
  recordFailure(probe: boolean): void {
    this.consecutiveFailures += 1;
    if (probe) {
      this.probeInFlight = false;
      this.open();
      return;
    }
    if (this.openUntil === null && this.consecutiveFailures >= this.failureThreshold) this.open();
  }

  /** The call ended without a verdict (this replica is shutting down): a probe's turn goes to the next call. */
  recordNoVerdict(probe: boolean): void {
    if (probe) this.probeInFlight = false;
  }

  private open(): void {
    this.openUntil = this.now() + this.openMs;
    this.onChange('opened');
  }
}
