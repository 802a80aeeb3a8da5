import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '@agentmarket/contracts';

export interface LoginThrottleSettings {
  /** Attempts one email may fail within the window; the next one is refused. */
  maxFailures: number;
  /** Length of the counting window, and of the lock that follows too many failures. */
  windowSeconds: number;
}

interface AttemptRow {
  locked_for_seconds: string | number | null;
}

/**
 * Rate-limits logins per email in `identity.login_attempts`. An attempt is
 * counted before its password is checked, in one atomic statement, so
 * parallel guesses cannot slip past the limit; a successful login clears the
 * count. Unknown emails are counted the same way, so a lock says nothing
 * about whether an account exists.
 */
export class LoginThrottle {
  private readonly orm: MikroORM;
  private readonly settings: LoginThrottleSettings;

  constructor(orm: MikroORM, settings: LoginThrottleSettings) {
    this.orm = orm;
    this.settings = settings;
  }

  /** Counts one attempt for `email`; `rate_limited` (with `retry_after_seconds`) while the email is locked. */
  async admit(email: string): Promise<void> {
    const { maxFailures, windowSeconds } = this.settings;
    // While locked nothing changes; a window that has run out (a lock lasts exactly one window) starts over at 1.
    const [row] = await this.orm.em.fork().execute<AttemptRow[]>(
      `with settings as (select ?::int as max_failures, (? * interval '1 second') as window_length)
       insert into identity.login_attempts as a (email, failures, window_started_at, locked_until)
       values (?, 1, now(), null)
       on conflict (email) do update set
         failures = case
           when a.locked_until > now() then a.failures
           when a.window_started_at <= now() - (select window_length from settings) then 1
           else a.failures + 1 end,
         window_started_at = case
           when a.locked_until > now() then a.window_started_at
           when a.window_started_at <= now() - (select window_length from settings) then now()
           else a.window_started_at end,
         locked_until = case
           when a.locked_until > now() then a.locked_until
           when a.window_started_at <= now() - (select window_length from settings) then null
           when a.failures + 1 > (select max_failures from settings) then now() + (select window_length from settings)
           else null end
       returning extract(epoch from (a.locked_until - now())) as locked_for_seconds`,
      [maxFailures, windowSeconds, email],
      'all',
    );
    const lockedFor = row?.locked_for_seconds === null || row?.locked_for_seconds === undefined ? 0 : Number(row.locked_for_seconds);
    if (lockedFor > 0) {
      const retryAfter = Math.max(1, Math.ceil(lockedFor));
      throw new AppError('rate_limited', `Too many failed logins for this email; retry in ${retryAfter} s`, { retry_after_seconds: retryAfter });
    }
  }

  /** Forgets the failures of an email whose owner just logged in. */
  async reset(email: string): Promise<void> {
    await this.orm.em.fork().execute('delete from identity.login_attempts where email = ?', [email], 'run');
  }

  /** Drops counters whose window and lock are over (unknown emails would otherwise accumulate); returns how many. */
  async prune(): Promise<number> {
    const result = await this.orm.em
      .fork()
      .execute<{ affectedRows?: number }>(
        `delete from identity.login_attempts
         where window_started_at <= now() - (? * interval '1 second') and (locked_until is null or locked_until <= now())`,
        [this.settings.windowSeconds],
        'run',
      );
    return result.affectedRows ?? 0;
  }
}
