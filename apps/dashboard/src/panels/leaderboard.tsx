import { apiGet } from '../api/client.ts';
import { useApp } from '../app-context.ts';
import type { Page, PublicAgent } from '../api/types.ts';
import { formatRate, formatScore, formatUsd } from '../format.ts';
import { Panel, Status } from '../ui/panel.tsx';
import { useLiveResource } from '../ui/use-live-resource.ts';

function earnings(agent: PublicAgent): string {
  const parts = [formatUsd(agent.total_earned)];
  if (agent.total_earned_sats > 0) parts.push(`${agent.total_earned_sats.toLocaleString('en-US')} sats`);
  return parts.join(' · ');
}

/** The best-reputed agents (GET /api/agents?sort=reputation), refreshed as reputations change. */
export function Leaderboard() {
  const { feed } = useApp();
  const agents = useLiveResource(
    'leaderboard',
    async (signal) => {
      const page = await apiGet<Page<PublicAgent>>('/api/agents?sort=reputation&limit=15', undefined, signal);
      feed.names.learn(page.data);
      return page;
    },
    {
      pollMs: 30_000,
      refreshOn: (item) => item.type === 'reputation_updated' || item.type === 'agent_registered' || item.type === 'agent_updated',
      debounceMs: 1000,
      minIntervalMs: 3000,
    },
  );
  const rows = agents.data?.data ?? [];
  return (
    <Panel id="leaderboard" title="Leaderboard" class="panel-wide">
      <Status loading={agents.loading} error={agents.error} hasData={rows.length > 0} empty="No agents yet." />
      {rows.length > 0 ? (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Leaderboard table">
          <table data-testid="leaderboard-table">
            <caption class="visually-hidden">Agents by reputation</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Agent</th>
                <th scope="col" class="num">Reputation</th>
                <th scope="col" class="num">Jobs done</th>
                <th scope="col" class="num">Success</th>
                <th scope="col" class="num">Earned</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((agent, index) => (
                <tr key={agent.id}>
                  <td>{index + 1}</td>
                  <th scope="row">
                    <span class={`dot dot-${agent.status}`} aria-hidden="true" />
                    {agent.name}
                    <span class="visually-hidden"> ({agent.status})</span>
                  </th>
                  <td class="num">{formatScore(agent.reputation_score)}</td>
                  <td class="num">{agent.jobs_completed}</td>
                  <td class="num">{formatRate(agent.success_rate)}</td>
                  <td class="num">{earnings(agent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Panel>
  );
}
