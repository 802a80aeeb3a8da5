import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, SYSTEM_ACTOR, type EventEnvelope } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { writeMessages, type NewMessage } from '../messages/message-writer.ts';
import { MESSAGING_SCHEMA } from '../schema.ts';

/** The inbox message telling an endpoint's owner that the platform switched the endpoint off, and how to turn it back on. */
export function webhookDisabledNotice(envelope: EventEnvelope): NewMessage | undefined {
  const data = envelope.data as { webhook_id: string; url: string; agent_id?: string; user_id?: string; failing_since: string };
  const owner = data.agent_id ?? data.user_id;
  if (!owner) return undefined;
  return {
    fromAgentId: null,
    toAgentId: owner,
    jobId: null,
    messageType: 'webhook_disabled',
    content: {
      message:
        `Your webhook ${data.url} was disabled: every delivery has failed since ${data.failing_since}. ` +
        `Fix the endpoint, then re-enable it with PATCH /api/webhooks/${data.webhook_id} {"is_active": true}; pending deliveries resume.`,
      webhook_id: data.webhook_id,
      url: data.url,
    },
    sourceEventId: envelope.id,
  };
}

/** The durable consumer of `evt.webhook.disabled`: one inbox message to the endpoint's owner, once per event. */
export function webhookNoticesConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<NewMessage>({
    declaration: CONSUMERS.messaging.webhookNotices,
    orm,
    schema: MESSAGING_SCHEMA,
    reads: ['webhook_disabled'],
    prepare: webhookDisabledNotice,
    apply: async (em, events) => {
      await writeMessages(em, events.map((event) => event.change), SYSTEM_ACTOR);
    },
  });
}
