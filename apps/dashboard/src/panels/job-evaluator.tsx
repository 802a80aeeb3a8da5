import { useEffect, useState } from 'preact/hooks';
import type { JobView } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { formatAmount, shortId } from '../format.ts';
import { ownIdOf } from '../session/session.ts';

/**
 * The job's evaluator — the agent that judges the delivery in the client's
 * stead — and the fee it is paid on its verdict. Its name comes from what the
 * page already learnt (feed, graph, leaderboard); until then, its id.
 */
export function JobEvaluator(props: { job: JobView }) {
  const { feed, session } = useApp();
  const [, setNamesKnown] = useState(0);
  useEffect(() => feed.names.subscribe(() => setNamesKnown((count) => count + 1)), [feed]);

  const { evaluator_agent_id: evaluatorId, evaluator_fee: fee, currency } = props.job;
  if (!evaluatorId) return null;
  const name = evaluatorId === ownIdOf(session) ? 'you' : (feed.names.nameOf(evaluatorId) ?? `agent ${shortId(evaluatorId)}`);
  return (
    <div>
      <dt>Evaluator</dt>
      <dd data-testid="job-evaluator" data-agent-id={evaluatorId}>
        <span title={evaluatorId}>{name}</span>
        {fee === null ? null : <span class="muted"> · fee {formatAmount(currency, fee)}</span>}
      </dd>
    </div>
  );
}
