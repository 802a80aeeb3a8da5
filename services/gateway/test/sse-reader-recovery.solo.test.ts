import { describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS } from '@agentmarket/contracts';
import { SseTestClient, registerAgent, useTestStack } from '@agentmarket/testing';

/**
 * The gateway's one reader of EVENTS feeds every live SSE stream. When its
 * consumer disappears (the server restarted, or it was deleted), live streams
 * must go on within seconds, with no event lost or repeated — and the next
 * event after the recovery must not wait out another heartbeat cycle (the
 * bus client's own recovery left the new consumer pulled for no messages).
 * Solo: it bounds delivery times.
 */
const market = useTestStack();
const { api } = market;
/** The reader's pulls expire after 2 s: two missed heartbeats (1 s each) and a look-up find a lost consumer. */
const RECOVERY_MS = 10_000;
/** An event on a healthy reader: commit, relay and fan-out take milliseconds; this is a wide margin, not a target. */
const LIVE_MS = 1_500;

async function registrationArrives(client: SseTestClient, name: string, timeoutMs: number): Promise<number> {
  const agent = await registerAgent(api, name);
  const registeredAt = Date.now();
  await client.waitFor((events) => events.some((event) => event.event === 'agent_registered' && event.data.aggregate_id === agent.id), timeoutMs);
  return Date.now() - registeredAt;
}

function expectEachEventOnce(client: SseTestClient): void {
  const ids = client.events.map((event) => Number(event.id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
}

describe('the SSE hub after its stream consumer is lost', () => {
  it('replaces a consumer the server deleted, and the next events come at once', async () => {
    const client = await SseTestClient.connect(`${market.stack.gatewayUrl}/api/events`);
    await registrationArrives(client, 'BeforeLoss', RECOVERY_MS);

    const connection = await connect({ servers: market.stack.natsUrl });
    try {
      const manager = await jetstreamManager(connection);
      let deleted = 0;
      for await (const consumer of manager.consumers.list(STREAMS.events.name)) {
        // Durable consumers are the services'; the only reader without a durable name now is the hub's.
        if (consumer.config.durable_name) continue;
        await manager.consumers.delete(STREAMS.events.name, consumer.name);
        deleted += 1;
      }
      expect(deleted).toBe(1);
    } finally {
      await connection.close();
    }

    await registrationArrives(client, 'DuringLoss', RECOVERY_MS);
    for (const name of ['AfterRecovery1', 'AfterRecovery2', 'AfterRecovery3']) {
      expect(await registrationArrives(client, name, RECOVERY_MS)).toBeLessThan(LIVE_MS);
    }
    expectEachEventOnce(client);
    client.close();
  });

  it('goes on after nats-server restarts (its memory-stored consumer is gone)', async () => {
    const client = await SseTestClient.connect(`${market.stack.gatewayUrl}/api/events`);
    await registrationArrives(client, 'BeforeRestart', RECOVERY_MS);

    await market.stack.nats.restart();

    await registrationArrives(client, 'AfterRestart', RECOVERY_MS * 2);
    for (const name of ['AfterRestart1', 'AfterRestart2']) {
      expect(await registrationArrives(client, name, RECOVERY_MS)).toBeLessThan(LIVE_MS);
    }
    expectEachEventOnce(client);
    client.close();
  });
});
