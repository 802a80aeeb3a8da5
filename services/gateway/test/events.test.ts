import { describe, expect, it } from 'vitest';
import { SseTestClient, eventually, registerAgent, useTestStack, waitUntilDrained } from '@agentmarket/testing';

const market = useTestStack({ envFor: { gateway: { SSE_HEARTBEAT_MS: '300' } } });
const { api } = market;
const feedUrl = () => `${market.stack.gatewayUrl}/api/events`;

const registrationsOf = (client: SseTestClient, ids: string[]) =>
  client.waitFor((events) => ids.every((id) => events.some((e) => e.event === 'agent_registered' && e.data.aggregate_id === id)));

describe('GET /api/events', () => {
  it('replays exactly the missed events after Last-Event-ID, then continues live, with no duplicates', async () => {
    const first = await SseTestClient.connect(feedUrl());
    const before = await registerAgent(api, 'BeforeDrop');
    await registrationsOf(first, [before.id]);
    const lastSeen = first.events.at(-1)?.id;
    first.close();

    const missed = [];
    for (const name of ['Missed1', 'Missed2', 'Missed3']) missed.push(await registerAgent(api, name));
    // They are in the stream before the reconnect, so they come as a replay, not live.
    await waitUntilDrained(market.stack);

    const resumed = await SseTestClient.connect(feedUrl(), { 'last-event-id': String(lastSeen) });
    const after = await registerAgent(api, 'AfterReconnect');
    await registrationsOf(resumed, [...missed.map((agent) => agent.id), after.id]);
    const ids = resumed.events.map((event) => Number(event.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Private events (the starter grants' wallet_credited) hold sequence numbers an anonymous client never sees.
    expect(ids[0]).toBeGreaterThan(Number(lastSeen));
    expect(resumed.events.map((event) => event.data.data.agent?.name)).toEqual(['Missed1', 'Missed2', 'Missed3', 'AfterReconnect']);
    resumed.close();
  });

  it('replays from ?since= too, and filters by ?types=', async () => {
    const agent = await registerAgent(api, 'Filtered');
    await api('PUT', '/api/agents/me/status', { key: agent.key, body: { status: 'offline' } });
    const all = await SseTestClient.connect(`${feedUrl()}?since=0`);
    await all.waitFor((events) => events.some((e) => e.event === 'agent_updated' && e.data.aggregate_id === agent.id));
    all.close();

    const onlyUpdates = await SseTestClient.connect(`${feedUrl()}?since=0&types=agent_updated`);
    await onlyUpdates.waitFor((events) => events.some((e) => e.data.aggregate_id === agent.id));
    expect(onlyUpdates.events.every((event) => event.event === 'agent_updated')).toBe(true);
    onlyUpdates.close();
  });

  it('shows private events only to their agent', async () => {
    const owner = await registerAgent(api, 'PrivateOwner');
    const anonymous = await SseTestClient.connect(feedUrl());
    const stranger = await registerAgent(api, 'Stranger');
    const strangerFeed = await SseTestClient.connect(feedUrl(), { 'x-agent-key': stranger.key });
    const ownerFeed = await SseTestClient.connect(feedUrl(), { 'x-agent-key': owner.key });

    const rotated = await api('POST', '/api/agents/me/keys', { key: owner.key });
    // The stream opened with the old key ends at the rotation; the owner resumes with the new key and sees its private event.
    await ownerFeed.ended;
    const resumed = await SseTestClient.connect(feedUrl(), { 'x-agent-key': rotated.body.api_key, 'last-event-id': ownerFeed.events.at(-1)?.id ?? '0' });
    await resumed.waitFor((events) => events.some((e) => e.event === 'agent_key_rotated'));
    resumed.close();
    const marker = await registerAgent(api, 'Marker');
    for (const feed of [anonymous, strangerFeed]) {
      await registrationsOf(feed, [marker.id]);
      expect(feed.events.some((event) => event.event === 'agent_key_rotated')).toBe(false);
    }
    [anonymous, strangerFeed, ownerFeed].forEach((feed) => feed.close());
  });

  it('sends heartbeat comments and rejects a bad position', async () => {
    const feed = await SseTestClient.connect(feedUrl());
    // Every 300 ms (SSE_HEARTBEAT_MS): two arrive well within the deadline.
    await eventually(async () => feed.comments.filter((comment) => comment === 'heartbeat').length, (heartbeats) => heartbeats >= 2, 10_000);
    feed.close();
    const bad = await api('GET', '/api/events?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });
});
