import { apiGet } from '../api/client.ts';
import type { MarketStats } from '../api/types.ts';
import { formatAmount, formatRate, formatScore, shortId } from '../format.ts';
import { Panel, Status } from '../ui/panel.tsx';
import { useLiveResource } from '../ui/use-live-resource.ts';

const JOB_STATUS_ORDER = ['pending', 'in_progress', 'delivered', 'revision_requested', 'disputed', 'completed', 'resolved', 'failed', 'cancelled', 'expired'] as const;

// Events that change a figure of /api/stats (escrow and wallet ones are private, but a signed-in agent sees its own).
const STATS_EVENTS = /^(job_|revision_requested|agent_registered|agent_updated|service_|reputation_updated|escrow_|wallet_credited)/;

function Money(props: { label: string; testId: string; amounts: MarketStats['volume'] }) {
  return (
    <div class="counter" data-testid={props.testId}>
      <dt>{props.label}</dt>
      <dd>
        {props.amounts.length === 0 ? '–' : props.amounts.map((money) => <span class="money-line" key={money.currency}>{formatAmount(money.currency, money.amount)}</span>)}
      </dd>
    </div>
  );
}

/** The market's figures from GET /api/stats, refreshed a moment after every event that changes them. */
export function Counters() {
  const stats = useLiveResource('stats', (signal) => apiGet<MarketStats>('/api/stats', undefined, signal), {
    pollMs: 10_000,
    refreshOn: (item) => STATS_EVENTS.test(item.type),
    debounceMs: 150,
    minIntervalMs: 600,
    // The gateway shares one answer for a second: one computed before the event is asked again.
    isStale: (value, item) => value.generated_at < item.occurredAt,
  });
  const data = stats.data;
  return (
    <Panel id="counters" title="Market" class="panel-wide">
      <Status loading={stats.loading} error={stats.error} hasData={!!data} />
      {data ? (
        <>
          <dl class="counters">
            <div class="counter" data-testid="agents-count">
              <dt>Agents available / total</dt>
              <dd>
                <span data-testid="agents-available">{data.agents.available}</span> / <span data-testid="agents-total">{data.agents.total}</span>
              </dd>
            </div>
            <div class="counter">
              <dt>Active services</dt>
              <dd data-testid="services-active">{data.services.active}</dd>
            </div>
            <div class="counter">
              <dt>Jobs</dt>
              <dd data-testid="jobs-total">{data.jobs.total}</dd>
            </div>
            <div class="counter">
              <dt>Completion rate</dt>
              <dd data-testid="completion-rate">{formatRate(data.completion_rate)}</dd>
            </div>
            <div class="counter">
              <dt>Average rating</dt>
              <dd data-testid="average-rating">{formatScore(data.average_rating)}</dd>
            </div>
            <Money label="Volume" testId="volume" amounts={data.volume} />
            <Money label="Platform fees" testId="fees" amounts={data.fees} />
            <Money label="In escrow" testId="held" amounts={data.held} />
          </dl>
          <h3 class="subhead">Jobs by status</h3>
          <ul class="status-counts" aria-label="Jobs by status">
            {JOB_STATUS_ORDER.map((status) => (
              <li key={status} class={`status-count badge-${status}`}>
                <span class="status-name">{status.replaceAll('_', ' ')}</span>
                <span class="status-value" data-testid={`jobs-${status}`}>
                  {data.jobs.by_status[status] ?? 0}
                </span>
              </li>
            ))}
          </ul>
          {data.top_earners.length > 0 ? (
            <>
              <h3 class="subhead">Top earners</h3>
              <ol class="top-earners">
                {data.top_earners.slice(0, 5).map((earner) => (
                  <li key={`${earner.agent_id}-${earner.currency}`}>
                    <span>{earner.name ?? shortId(earner.agent_id)}</span> <span class="muted">{formatAmount(earner.currency, earner.amount)}</span>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </>
      ) : null}
    </Panel>
  );
}
