import type { EntityManager } from '@mikro-orm/postgresql';
import type { StandingChange } from '../outcomes/standing-change.ts';
import { ownerRootsOf } from './agent-owners.repository.ts';
import { rootOf } from './owner-roots.ts';

/**
 * The changes that may move reputation: a worker's completion or failure on
 * a job whose client has the worker's owner root (one owner trading with
 * itself) is dropped, rating included. Every rating kept learns its rater,
 * the client's owner root, so the score can weigh raters rather than ratings.
 * A worker's rating of its client is screened the same way, the other way
 * round: dropped between one owner's agents, and its rater is the worker's root.
 */
export async function screenSelfDealing(em: EntityManager, changes: readonly StandingChange[]): Promise<StandingChange[]> {
  const judged = changes.flatMap((change) => ((change.kind === 'completed' || change.kind === 'failed') && change.client ? [{ ...change, client: change.client }] : []));
  const clientRatings = changes.filter((change) => change.kind === 'client_rated');
  if (judged.length === 0 && clientRatings.length === 0) return [...changes];
  const agentIds = [
    ...judged.flatMap((change) => [change.agentId, ...(change.client.type === 'agent' ? [change.client.id] : [])]),
    ...clientRatings.flatMap((change) => [change.agentId, change.worker.id]),
  ];
  const roots = await ownerRootsOf(em, agentIds);
  const kept: StandingChange[] = [];
  for (const change of changes) {
    if (change.kind === 'client_rated') {
      const workerRoot = rootOf(change.worker, roots);
      if (workerRoot !== rootOf({ type: 'agent', id: change.agentId }, roots)) kept.push({ ...change, rating: { ...change.rating, rater: workerRoot } });
      continue;
    }
    if ((change.kind !== 'completed' && change.kind !== 'failed') || !change.client) {
      kept.push(change);
      continue;
    }
    const clientRoot = rootOf(change.client, roots);
    if (clientRoot === rootOf({ type: 'agent', id: change.agentId }, roots)) continue;
    kept.push(change.kind === 'completed' && change.rating ? { ...change, rating: { ...change.rating, rater: clientRoot } } : change);
  }
  return kept;
}
