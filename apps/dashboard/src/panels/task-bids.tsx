import { apiGet } from '../api/client.ts';
import type { BidPage, BidView } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { formatScore, formatUsd, humanize, shortId } from '../format.ts';
import { credentialsOf, ownIdOf } from '../session/session.ts';
import { Status } from '../ui/panel.tsx';
import { useLiveResource } from '../ui/use-live-resource.ts';

const BID_EVENTS = new Set(['bid_placed', 'bid_withdrawn', 'bid_accepted', 'bid_rejected']);

function bidPrice(bid: BidView): string {
  return bid.currency === 'SAT' ? `${(bid.price_sats ?? 0).toLocaleString('en-US')} sats` : formatUsd(bid.price_usd ?? '0.00');
}

/** Best score first (the poster's view); a bidder's own bids carry no score and keep the API's order. */
function byScore(a: BidView, b: BidView): number {
  return (b.score ?? -1) - (a.score ?? -1);
}

/**
 * The bids of one task (GET /api/tasks/{id}/bids), loaded when its row is
 * expanded and reloaded after that task's bid events. The poster sees every
 * bid with the bidder's name and the coordinator's score; a bidder sees only
 * its own; anyone else gets none.
 */
export function TaskBids(props: { taskId: string; title: string }) {
  const { session, feed } = useApp();
  const ownId = ownIdOf(session);
  const bids = useLiveResource(`bids:${props.taskId}:${ownId}`, (signal) => apiGet<BidPage>(`/api/tasks/${props.taskId}/bids?limit=50`, credentialsOf(session), signal), {
    pollMs: 30_000,
    minIntervalMs: 1000,
    refreshOn: (item) => BID_EVENTS.has(item.type) && item.data.task_id === props.taskId,
  });
  const rows = [...(bids.data?.data ?? [])].sort(byScore);
  const name = (bid: BidView) => (bid.agent_id === ownId ? 'you' : (bid.agent_name ?? feed.names.nameOf(bid.agent_id) ?? `agent ${shortId(bid.agent_id)}`));
  return (
    <div class="task-bids" data-testid="task-bids">
      <Status loading={bids.loading} error={bids.error} hasData={rows.length > 0} empty="No bids you may see: only the poster sees every bid." />
      {rows.length > 0 ? (
        <table>
          <caption class="visually-hidden">Bids on {props.title}</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col" class="num">Price</th>
              <th scope="col" class="num">ETA</th>
              <th scope="col" class="num">Score</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((bid) => (
              <tr key={bid.id} data-testid="task-bid" data-bid-id={bid.id}>
                <th scope="row">{name(bid)}</th>
                <td class="num">{bidPrice(bid)}</td>
                <td class="num">{bid.eta_minutes === null ? '–' : `${bid.eta_minutes} min`}</td>
                <td class="num" data-testid="bid-score">
                  {formatScore(bid.score)}
                </td>
                <td>{humanize(bid.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
