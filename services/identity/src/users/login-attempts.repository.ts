import type { EntityManager } from '@mikro-orm/postgresql';
import { IDENTITY_SCHEMA } from '../schema.ts';

/** One failure counter of `identity.login_attempts` and when it starts to make attempts wait. */
export interface Counter {
  key: string;
  threshold: number;
  maxDelaySeconds: number;
}

interface CounterRow {
  wait_seconds: string | number | null;
}

/**
 * One atomic statement per attempt: while the counter says wait, nothing
 * changes and the remaining wait (seconds) is returned; otherwise the attempt
 * is counted (starting over after `quietSeconds` without one) and, from the
 * threshold on, the next wait is set, doubling each time. 0 = go ahead.
 */
export async function countAttempt(em: EntityManager, counter: Counter, quietSeconds: number): Promise<number> {
  const [row] = await em.execute<CounterRow[]>(
    `with settings as (select ?::int as threshold, ?::int as max_delay, (? * interval '1 second') as quiet)
     insert into ${IDENTITY_SCHEMA}.login_attempts as a (throttle_key, failures, last_attempt_at, locked_until)
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
    [counter.threshold, counter.maxDelaySeconds, quietSeconds, counter.key],
    'all',
  );
  return row?.wait_seconds === null || row?.wait_seconds === undefined ? 0 : Number(row.wait_seconds);
}

/** Deletes two counters by key. */
export async function deleteCounters(em: EntityManager, firstKey: string, secondKey: string): Promise<void> {
  await em.execute(`delete from ${IDENTITY_SCHEMA}.login_attempts where throttle_key in (?, ?)`, [firstKey, secondKey], 'run');
}

/** Deletes the counters with no attempt for `quietSeconds` that make nobody wait; returns how many. */
export async function deleteQuietCounters(em: EntityManager, quietSeconds: number): Promise<number> {
  const result = await em.execute<{ affectedRows?: number }>(
    `delete from ${IDENTITY_SCHEMA}.login_attempts
     where last_attempt_at <= now() - (? * interval '1 second') and (locked_until is null or locked_until <= now())`,
    [quietSeconds],
    'run',
  );
  return result.affectedRows ?? 0;
}
