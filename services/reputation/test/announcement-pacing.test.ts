import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@agentmarket/contracts';
import { completed, newJob } from './outcome-events.ts';
import { startReputationFixture, waitUntil, type ReputationFixture } from './reputation-fixture.ts';

// A long interval, so that the loop never reaches a deferred announcement while a test looks at it.
let fixture: ReputationFixture;
beforeAll(async () => {
  fixture = await startReputationFixture({ REPUTATION_ANNOUNCE_INTERVAL_MS: '60000' });
});
afterAll(async () => fixture?.stop());

const pendingAnnouncements = (agentId: string) => fixture.sql<{ agent_id: string }>('select agent_id from reputation.announcements where agent_id = ?', [agentId]);

describe('announcement pacing', () => {
  it('drops a deferred announcement that a later immediate one answers, so no version is announced twice', async () => {
    const worker = uuidv7();
    const eventsOf = () => fixture.reputationEvents.filter((event) => event.aggregate_id === worker);
    await fixture.publish(completed(newJob({ worker_agent_id: worker }), 5));
    await waitUntil(() => eventsOf().length === 1);
    // A change within the interval is deferred: a row the loop announces when the turn comes.
    await fixture.publish(completed(newJob({ worker_agent_id: worker }), 4));
    await fixture.waitFor(worker, (reputation) => reputation.jobs_completed === 2);
    expect(await pendingAnnouncements(worker)).toHaveLength(1);

    // The turn comes, and the next change is applied before the loop got to the row: it is announced at once.
    await fixture.sql("update reputation.agents set announced_at = announced_at - interval '1 minute' where agent_id = ?", [worker]);
    await fixture.publish(completed(newJob({ worker_agent_id: worker }), 3));
    const figures = await fixture.waitFor(worker, (reputation) => reputation.jobs_completed === 3);
    await waitUntil(() => eventsOf().length === 2);
    expect(eventsOf()[1]?.data).toMatchObject({ jobs_completed: 3, reputation_score: figures.reputation_score });
    // Its figures answer the deferred one: left behind, the loop would announce the same version again.
    expect(await pendingAnnouncements(worker)).toEqual([]);
    expect(eventsOf().map((event) => event.aggregate_version)).toEqual([1, 3]);
  });
});
