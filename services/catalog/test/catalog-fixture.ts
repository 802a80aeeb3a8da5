import type { ConsumerMessages } from '@nats-io/jetstream';
import { STREAMS, eventEnvelopeSchema, type EventEnvelope } from '@agentmarket/contracts';
import { decodeJson } from '@agentmarket/messaging';
import { startServiceUnderTest } from '@agentmarket/testing';
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
    async stop() {
      await messages.close();
      await underTest.stop();
    },
  };
}
