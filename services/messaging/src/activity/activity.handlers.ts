import { SUBJECTS, activityQuerySchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { ActivityService } from './activity.service.ts';

/** Request/reply subject of the activity log. */
export function activityHandlers(activity: ActivityService): Record<string, RequestHandler> {
  return {
    [SUBJECTS.messaging.activity]: handler(activityQuerySchema, (input) => activity.list(input)),
  };
}
