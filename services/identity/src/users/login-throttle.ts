import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '@agentmarket/contracts';

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

interface Counter {
  key: string;
  threshold: number;
  maxDelaySeconds: number;
}

interface CounterRow {
  wait_seconds: string | number | null;
}

/**
 * Slows password guessing without a flat lock, in `identity.login_attempts`.
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
      wait = Math.max(wait, await this.count(counter));
      // A refused attempt is not counted against the other counters either.
      if (wait > 0) break;
    }
    if (wait > 0) {
      const retryAfter = Math.max(1, Math.ceil(wait));
      throw new AppError('rate_limited', `Too many failed logins; retry in ${retryAfter} s`, { retry_after_seconds: retryAfter });
    }
  }

  /**
   * One counter: while it says wait, nothing changes and the wait is returned;
   * otherwise the attempt is counted (starting over after a quiet window) and,
   * from the threshold on, the next wait is set, doubling each time.
   */
  private async count(counter: Counter): Promise<number> {
    const [row] = await this.orm.em.fork().execute<CounterRow[]>(
      `with settings as (select ?::int as threshold, ?::int as max_delay, (? * interval '1 second') as quiet)
       insert into identity.login_attempts as a (throttle_key, failures, last_attempt_at, locked_until)
       values (?, 1, now(), case when 1 >= (select threshold from settings) then now() + interval '1 second' end)
       on conflict (throttle_key) do update set
         failures = case
           when a.locked_until > now() then a.failures
           when a.last_attempt_at <= now() - (select quiet from settings) then 1
           else a.failures + 1 end,
         last_attempt_at = case when a.locked_until > now() then a.last_attempt_at else now() end,
         locked_until = case
           when a.locked_until > now() then a.locked_until
           when a.last_attempt_at <= now() - (select quiet from settings) then null
           when a.failures + 1 >= (select threshold from settings) then
             now() + least((select max_delay from settings), power(2, least(a.failures + 1 - (select threshold from settings), 30))) * interval '1 second'
           else null end
       -- RETURNING sees the row after the update: an attempt that was let in stamped last_attempt_at with now();
       -- one that was refused left it older, and its wait is what is left of the earlier lock.
       returning case when a.last_attempt_at <> now() and a.locked_until > now() then extract(epoch from (a.locked_until - now())) end as wait_seconds`,
      [counter.threshold, counter.maxDelaySeconds, this.settings.windowSeconds, counter.key],
      'all',
    );
    return row?.wait_seconds === null || row?.wait_seconds === undefined ? 0 : Number(row.wait_seconds);
  }

  /** Forgets the failures of an email whose owner just logged in (its address's counter stays). */
  async reset(email: string, clientIp?: string): Promise<void> {
    await this.orm.em
      .fork()
      .execute('delete from identity.login_attempts where throttle_key in (?, ?)', [`acct:${email}|${clientIp ?? 'unknown'}`, `acct:${email}`], 'run');
  }

  /** Drops counters that went quiet and wait for nothing (unknown emails would otherwise accumulate); returns how many. */
  async prune(): Promise<number> {
    const result = await this.orm.em
      .fork()
      .execute<{ affectedRows?: number }>(
        `delete from identity.login_attempts
         where last_attempt_at <= now() - (? * interval '1 second') and (locked_until is null or locked_until <= now())`,
        [this.settings.windowSeconds],
        'run',
      );
    return result.affectedRows ?? 0;
  }
}
