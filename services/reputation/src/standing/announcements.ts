import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { SYSTEM_ACTOR } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import { REPUTATION_SCHEMA } from '../schema.ts';
import { toReputation } from './reputation.views.ts';
import { findMoneyOf, findStandings, type PacedStanding } from './standing.repository.ts';

/**
 * The pace of reputation_updated: at most one per agent per `intervalMs`.
 * A change to an agent announced longer ago than that is announced in the
 * same transaction; a change within it is deferred (a row in
 * `reputation.announcements`, due when the interval ends) and the loop
 * announces the figures as they then stand. The event carries every figure,
 * so skipping the states in between loses nothing: readers keep the newest
 * version. Under load an agent whose completion and payment land a few
 * hundred milliseconds apart is announced once, not twice, and every reader
 * of the event (identity, the catalog, the activity log, webhooks, SSE)
 * does its work once.
 */
export async function announceOrDefer(em: EntityManager, standings: readonly PacedStanding[], now: Date, intervalMs: number): Promise<void> {
  const nowMs = now.getTime();
  const due: PacedStanding[] = [];
  const later: { agentId: string; dueAt: Date }[] = [];
  for (const standing of standings) {
    const turn = standing.announcedAt ? standing.announcedAt.getTime() + intervalMs : 0;
    if (turn <= nowMs) due.push(standing);
    else later.push({ agentId: standing.agentId, dueAt: new Date(turn) });
  }
  await announce(em, due, now);
  if (later.length === 0) return;
  // do update (not do nothing): it takes the row lock, so a loop claiming the row at the same moment is waited for, and the
  // row is written again after it, never lost between the loop's read and its delete.
  await em.execute(
    `insert into ${REPUTATION_SCHEMA}.announcements as n (agent_id, due_at) values ${later.map(() => '(?, ?::timestamptz)').join(', ')}
     on conflict (agent_id) do update set due_at = least(n.due_at, excluded.due_at)`,
    later.flatMap((entry) => [entry.agentId, entry.dueAt.toISOString()]),
    'run',
  );
}

/**
 * The loop's work: announces up to `limit` agents whose turn has come, in
 * one transaction, with their figures as they stand. Each agent's row is
 * locked before its announcement row, the order a batch of outcomes takes
 * too, and an agent whose row a batch holds is left for the next round.
 * Returns how many were announced.
 */
export async function announceDue(orm: MikroORM, limit: number): Promise<number> {
  const probe = await orm.em.fork().execute<{ due: boolean }[]>(
    `select exists (select 1 from ${REPUTATION_SCHEMA}.announcements where due_at <= now()) as due`,
    [],
    'all',
  );
  if (!probe[0]?.due) return 0;
  return orm.em.fork().transactional(async (em) => {
    const claimed = await em.execute<{ agent_id: string }[]>(
      `with due as (
         select a.agent_id from ${REPUTATION_SCHEMA}.agents a
         where a.agent_id in (select agent_id from ${REPUTATION_SCHEMA}.announcements where due_at <= now() order by due_at limit ?)
         order by a.agent_id for update of a skip locked
       )
       delete from ${REPUTATION_SCHEMA}.announcements n using due where n.agent_id = due.agent_id returning n.agent_id`,
      [limit],
      'all',
    );
    if (claimed.length === 0) return 0;
    await announce(em, await findStandings(em, claimed.map((row) => row.agent_id)), new Date());
    return claimed.length;
  });
}

/** One reputation_updated per standing, with its money, the time of the announcement recorded and any deferred one dropped. */
async function announce(em: EntityManager, standings: readonly PacedStanding[], now: Date): Promise<void> {
  if (standings.length === 0) return;
  const agentIds = standings.map((standing) => standing.agentId);
  const money = await findMoneyOf(em, agentIds);
  await appendToOutbox(
    em,
    REPUTATION_SCHEMA,
    standings.map((standing) => ({
      type: 'reputation_updated',
      aggregateId: standing.agentId,
      aggregateVersion: standing.version,
      actor: SYSTEM_ACTOR,
      data: toReputation(
        standing.agentId,
        standing,
        money.filter((row) => row.agentId === standing.agentId),
        now,
      ),
    })),
  );
  // A deferred announcement still pending for these agents is answered by this one: left behind, the loop would
  // announce the same version a second time once its turn came.
  await em.execute(
    `with answered as (delete from ${REPUTATION_SCHEMA}.announcements where agent_id in (?))
     update ${REPUTATION_SCHEMA}.agents set announced_at = ?::timestamptz where agent_id in (?)`,
    [agentIds, now.toISOString(), agentIds],
    'run',
  );
}
