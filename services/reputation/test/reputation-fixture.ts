import { jetstreamManager, type ConsumerMessages } from '@nats-io/jetstream';
import { loadSettings } from '@agentmarket/config';
import {
  STREAMS,
  SUBJECTS,
  eventEnvelopeSchema,
  subjectForEvent,
  type EventEnvelope,
  type EventType,
  type Reputation,
  type ReputationStats,
} from '@agentmarket/contracts';
import { decodeJson, encodeJson } from '@agentmarket/messaging';
import { startServiceUnderTest, waitUntil, waitUntilDrained } from '@agentmarket/testing';
import { reputationSettings } from '../src/config.ts';
import { createReputationModule } from '../src/reputation.module.ts';

export { waitUntil } from '@agentmarket/testing';

/**
 * The reputation service running in-process on private infrastructure, a
 * client connection that publishes events and asks the service over the bus,
 * and every `evt.reputation.*` event that reaches the EVENTS stream.
 */
export async function startReputationFixture(env: Record<string, string> = {}) {
  const module = createReputationModule(loadSettings(reputationSettings, env));
  const underTest = await startServiceUnderTest(module, reputationSettings, env);
  const { connection, jetstream: js, bus, orm } = underTest;
  const reputationEvents: EventEnvelope[] = [];
  const reader = await js.consumers.get(STREAMS.events.name, { filter_subjects: 'evt.reputation.>' });
  const messages: ConsumerMessages = await reader.consume();
  void (async () => {
    for await (const message of messages) reputationEvents.push(eventEnvelopeSchema.parse(decodeJson(message.data)) as EventEnvelope);
  })();

  const get = (agentId: string) => bus.request<Reputation>(SUBJECTS.reputation.get, { agent_id: agentId });
  return {
    bus,
    reputationEvents,
    get,
    stats: () => bus.request<ReputationStats>(SUBJECTS.reputation.stats, {}),
    /** Rows of the service's own tables, for facts the bus API does not show (counts, absence). */
    sql: async <T = Record<string, unknown>>(query: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<T[]>(query, params, 'all'),
    /** Publishes an event as an outbox relay would: to its subject, with its id as Nats-Msg-Id unless told otherwise. */
    publish: async (envelope: EventEnvelope, msgID: string = envelope.id) => {
      await js.publish(subjectForEvent(envelope.type as EventType), encodeJson(envelope), { msgID });
    },
    /** Resolves once every published event is applied and every reputation event is out of the outbox. */
    drained: () => waitUntilDrained(underTest),
    /** Polls an agent's figures until `condition` holds, and returns them. */
    async waitFor(agentId: string, condition: (reputation: Reputation) => boolean): Promise<Reputation> {
      let last: Reputation | undefined;
      await waitUntil(async () => condition((last = await get(agentId))));
      return last as Reputation;
    },
    /** The last message on a subject of a stream, if any. */
    async lastOnSubject(subject: string, stream: string): Promise<EventEnvelope | undefined> {
      const manager = await jetstreamManager(connection);
      return (await manager.streams.getMessage(stream, { last_by_subj: subject }))?.json<EventEnvelope>();
    },
    async stop() {
      await messages.close();
      await underTest.stop();
    },
  };
}

export type ReputationFixture = Awaited<ReturnType<typeof startReputationFixture>>;
