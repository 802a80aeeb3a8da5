import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS, subjectForEvent, type EventEnvelope, type EventType } from '@agentmarket/contracts';
import { encodeJson } from '@agentmarket/messaging';
import { startServiceUnderTest } from '@agentmarket/testing';
import { messagingSettings } from '../src/config.ts';
import { messagingModule } from '../src/messaging.module.ts';

export { waitUntil } from '@agentmarket/testing';

/**
 * The messaging service running in-process on private infrastructure, and a
 * client connection that publishes events and asks the service over the bus.
 */
export async function startMessagingFixture() {
  const underTest = await startServiceUnderTest(messagingModule, messagingSettings);
  const { connection, jetstream: js, bus, orm } = underTest;
  /** Rows of the service's own tables, for facts the bus API does not show (counts, absence). */
  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    orm.em.fork().getConnection().execute<T[]>(query, params, 'all');

  return {
    bus,
    sql,
    /** Publishes an event as the outbox relay would: to its subject, with its id as Nats-Msg-Id unless told otherwise. */
    publish: (envelope: EventEnvelope, msgID: string = envelope.id) =>
      js.publish(subjectForEvent(envelope.type as EventType), encodeJson(envelope), { msgID }),
    publishRaw: (subject: string, envelope: EventEnvelope) => js.publish(subject, encodeJson(envelope), { msgID: envelope.id }),
    /** How many messages the EVENTS stream holds on one subject. */
    async streamCount(subject: string): Promise<number> {
      const manager = await jetstreamManager(connection);
      const info = await manager.streams.info(STREAMS.events.name, { subjects_filter: subject });
      return info.state.subjects?.[subject] ?? 0;
    },
    /** The last envelope on a subject of EVENTS (or of another stream), if any. */
    async lastOnSubject(subject: string, stream: string = STREAMS.events.name): Promise<EventEnvelope | undefined> {
      const manager = await jetstreamManager(connection);
      return (await manager.streams.getMessage(stream, { last_by_subj: subject }))?.json<EventEnvelope>();
    },
    stop: () => underTest.stop(),
  };
}

export type MessagingFixture = Awaited<ReturnType<typeof startMessagingFixture>>;
