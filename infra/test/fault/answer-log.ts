/** The lifecycle steps the background load takes, plus the reads it makes between them. */
export type StepKind = 'register' | 'publish' | 'wallet' | 'hire' | 'start' | 'deliver' | 'message' | 'complete';

/**
 * What one HTTP attempt got: a status, `net` when the connection failed or
 * was cut (the gateway is down or died mid-request), `hang` when no answer
 * came before the client gave up waiting.
 */
export type AnswerStatus = number | 'net' | 'hang';

export interface Attempt {
  step: StepKind;
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  startedAt: number;
  endedAt: number;
  status: AnswerStatus;
  retryAfter: string | null;
  /** The error code of a JSON error body, or the network error's message. */
  detail: string | undefined;
}

/** Every attempt one scenario's clients made, in the order they ended. */
export class AnswerLog {
  readonly attempts: Attempt[] = [];

  record(attempt: Attempt): void {
    this.attempts.push(attempt);
  }

  /** e.g. `{ 200: 310, 201: 120, 503: 14, net: 3 }`. */
  countByStatus(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const attempt of this.attempts) counts[String(attempt.status)] = (counts[String(attempt.status)] ?? 0) + 1;
    return counts;
  }

  slowest(): Attempt | undefined {
    return this.attempts.reduce<Attempt | undefined>((worst, attempt) => (!worst || duration(attempt) > duration(worst) ? attempt : worst), undefined);
  }

  /**
   * Answers the contract forbids under a fault: any 5xx but a 503, a 503
   * without Retry-After, an answer slower than the gateway's deadline, and a
   * failed connection while the gateway itself was never touched.
   */
  violations(options: { deadlineMs: number; gatewayWasKilled: boolean }): string[] {
    return this.attempts.flatMap((attempt) => {
      const what = `${attempt.method} ${attempt.path} (${attempt.step}, key ${attempt.idempotencyKey ?? '-'})`;
      const problems: string[] = [];
      if (typeof attempt.status === 'number' && attempt.status >= 500 && attempt.status !== 503) problems.push(`${what} answered ${attempt.status} ${attempt.detail ?? ''}`);
      if (attempt.status === 503 && !attempt.retryAfter) problems.push(`${what} answered 503 without Retry-After`);
      if (attempt.status === 'hang') problems.push(`${what} got no answer within ${duration(attempt)} ms`);
      else if (duration(attempt) > options.deadlineMs) problems.push(`${what} answered ${attempt.status} after ${duration(attempt)} ms, beyond the ${options.deadlineMs} ms deadline`);
      if (attempt.status === 'net' && !options.gatewayWasKilled) problems.push(`${what} lost its connection: ${attempt.detail ?? ''}`);
      return problems;
    });
  }
}

export function duration(attempt: Attempt): number {
  return attempt.endedAt - attempt.startedAt;
}

export function isSuccess(status: AnswerStatus): boolean {
  return typeof status === 'number' && status >= 200 && status < 300;
}
