import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, SYSTEM_ACTOR } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { writeMessages, type NewMessage } from '../messages/message-writer.ts';
import { MESSAGING_SCHEMA } from '../schema.ts';
import { BID_NOTIFICATION_TYPES, bidNotificationFor } from './bid-notification-content.ts';

/** The durable consumer of `evt.task.>`: one inbox message per bid step (to the poster or the bidder) and per expired task, once per event. */
export function bidNotificationsConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<NewMessage>({
    declaration: CONSUMERS.messaging.bidNotifications,
    orm,
    schema: MESSAGING_SCHEMA,
    reads: BID_NOTIFICATION_TYPES,
    prepare: bidNotificationFor,
    apply: async (em, events) => {
      await writeMessages(em, events.map((event) => event.change), SYSTEM_ACTOR);
    },
  });
}
