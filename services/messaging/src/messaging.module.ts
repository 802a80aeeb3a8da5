import type { ServiceModule } from '@agentmarket/messaging';
import { ActivityEntrySchema } from './activity/activity.entity.ts';
import { activityHandlers } from './activity/activity.handlers.ts';
import { activityLogConsumer } from './activity/activity-log.consumer.ts';
import { ActivityService } from './activity/activity.service.ts';
import { MessageSchema } from './messages/message.entity.ts';
import { messageHandlers } from './messages/messages.handlers.ts';
import { MessagesService } from './messages/messages.service.ts';
import { messagingMigrations } from './migrations/index.ts';
import { jobNotificationsConsumer } from './notifications/job-notifications.consumer.ts';
import { webhookNoticesConsumer } from './notifications/webhook-notices.consumer.ts';
import { bidNotificationsConsumer } from './notifications/bid-notifications.consumer.ts';
import { MESSAGING_SCHEMA } from './schema.ts';

/** Messaging owns inboxes (automatic job notifications, direct messages) and the activity log (schema `messaging`). */
export const messagingModule: ServiceModule = {
  name: 'messaging',
  schema: MESSAGING_SCHEMA,
  entities: [MessageSchema, ActivityEntrySchema],
  migrations: messagingMigrations,
  requestHandlers: ({ orm }) => ({ ...messageHandlers(new MessagesService(orm)), ...activityHandlers(new ActivityService(orm)) }),
  consumers: ({ orm }) => [jobNotificationsConsumer(orm), activityLogConsumer(orm), webhookNoticesConsumer(orm), bidNotificationsConsumer(orm)],
};
