import { jetstreamManager, type ConsumerMessages } from '@nats-io/jetstream';
import { STREAMS, eventEnvelopeSchema, type EventEnvelope } from '@agentmarket/contracts';
import { decodeJson } from '@agentmarket/messaging';
import { startServiceUnderTest, waitUntil, waitUntilDrained } from '@agentmarket/testing';
import { catalogModule } from '../src/catalog.module.ts';
import { catalogSettings } from '../src/config.ts';

export { waitUntil } from '@agentmarket/testing';

/**
 * The catalog started in-process on private infrastructure, and a client
 * connection that records every `evt.service.*` event reaching the EVENTS stream.
 */
export async function startCatalogFixture() {
  const underTest = await startServiceUnderTest(catalogModule, catalogSettings);
  const serviceEvents: EventEnvelope[] = [];
  const reader = await underTest.jetstream.consumers.get(STREAMS.events.name, { filter_subjects: 'evt.service.>' });
  const messages: ConsumerMessages = await reader.consume();
  void (async () => {
    for await (const message of messages) serviceEvents.push(eventEnvelopeSchema.parse(decodeJson(message.data)) as EventEnvelope);
  })();
  return {
    bus: underTest.bus,
    jetstream: underTest.jetstream,
    service: underTest.service,
    serviceEvents,
    /**
     * Resolves once every service event the catalog has written is in the
     * stream and in `serviceEvents`: what a test sees after it is all there
     * is, so it can assert that no further event came.
     */
    async caughtUp() {
      await waitUntilDrained(underTest);
      const manager = await jetstreamManager(underTest.connection);
      const stream = await manager.streams.info(STREAMS.events.name, { subjects_filter: 'evt.service.>' });
      const stored = Object.values(stream.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
      await waitUntil(() => serviceEvents.length >= stored);
    },
    async stop() {
      await messages.close();
      await underTest.stop();
    },
  };
}
