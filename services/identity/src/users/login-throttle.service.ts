import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '@agentmarket/contracts';
import { countAttempt, deleteCounters, deleteQuietCounters, type Counter } from './login-attempts.repository.ts';

export interface LoginThrottleSettings {
  /** Failures of one email from one address before each further attempt must wait (1 s, then 2, 4, …). */
  maxFailures: number;
  /** A counter with no attempt for this long is forgotten. */
  windowSeconds: number;
  /** The longest wait the doubling reaches. */
  maxDelaySeconds: number;
}

/** One address may fail this many times more than one email from it, over all the emails it tries. */
const PER_IP_FACTOR = 10;
/** An email tried from many addresses waits too, but never longer than this: an attacker elsewhere cannot lock its owner out. */
const ACCOUNT_WIDE_MAX_DELAY_SECONDS = 60;

/**
 * Slows password guessing without a flat lock, in `identity.login_attempts`
 * (login-attempts.repository.ts).
 * Three counters are checked for each attempt, each counted before the
 * password is checked (one atomic statement each, so parallel guesses cannot
 * slip past):
 * - the email from this address: after `maxFailures` failures each further
 *   attempt must wait 1, 2, 4 … s (up to `maxDelaySeconds`);
 * - this address over all emails: the same from 10 × `maxFailures` (spraying);
 * - the email over all addresses: from 10 × `maxFailures`, capped at 60 s, so
 *   an attacker elsewhere slows the real owner down by a minute at most.
 * An attempt made while a counter says wait is refused and not counted. A
 * successful login clears its email's counters (not its address's). Unknown
 * emails are counted the same way, so a wait says nothing about whether an
 * account exists.
 */
export class LoginThrottle {
  private readonly orm: MikroORM;
  private readonly settings: LoginThrottleSettings;

  constructor(orm: MikroORM, settings: LoginThrottleSettings) {
    this.orm = orm;
    this.settings = settings;
  }

  private countersOf(email: string, clientIp: string | undefined): Counter[] {
    const { maxFailures, maxDelaySeconds } = this.settings;
    const address = clientIp ?? 'unknown';
    return [
      { key: `acct:${email}|${address}`, threshold: maxFailures, maxDelaySeconds },
      { key: `ip:${address}`, threshold: maxFailures * PER_IP_FACTOR, maxDelaySeconds },
      { key: `acct:${email}`, threshold: maxFailures * PER_IP_FACTOR, maxDelaySeconds: Math.min(maxDelaySeconds, ACCOUNT_WIDE_MAX_DELAY_SECONDS) },
    ];
  }

  /** Counts one attempt for `email` from `clientIp`; `rate_limited` (with `retry_after_seconds`) while any of its counters says wait. */
  async admit(email: string, clientIp?: string): Promise<void> {
    let wait = 0;
    for (const counter of this.countersOf(email, clientIp)) {
      wait = Math.max(wait, await countAttempt(this.orm.em.fork(), counter, this.settings.windowSeconds));
      // A refused attempt is not counted against the other counters either.
      if (wait > 0) break;
    }
    if (wait > 0) {
      const retryAfter = Math.max(1, Math.ceil(wait));
      throw new AppError('rate_limited', `Too many failed logins; retry in ${retryAfter} s`, { retry_after_seconds: retryAfter });
    }
  }

  /** Forgets the failures of an email whose owner just logged in (its address's counter stays). */
  async reset(email: string, clientIp?: string): Promise<void> {
    await deleteCounters(this.orm.em.fork(), `acct:${email}|${clientIp ?? 'unknown'}`, `acct:${email}`);
  }

  /** Drops counters that went quiet and wait for nothing (unknown emails would otherwise accumulate); returns how many. */
  async prune(): Promise<number> {
    return deleteQuietCounters(this.orm.em.fork(), this.settings.windowSeconds);
  }
}
