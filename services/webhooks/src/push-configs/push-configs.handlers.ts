import { SUBJECTS, createPushConfigCommandSchema, listPushConfigsCommandSchema, pushConfigCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { PushConfigsService } from './push-configs.service.ts';

/** Request/reply subjects of A2A push-notification configs; the gateway has checked that the owner is a party of the job. */
export function pushConfigHandlers(configs: PushConfigsService): Record<string, RequestHandler> {
  const subjects = SUBJECTS.webhooks;
  return {
    [subjects.createPushConfig]: handler(createPushConfigCommandSchema, (input) => configs.create(input)),
    [subjects.getPushConfig]: handler(pushConfigCommandSchema, (input) => configs.get(input.owner, input.job_id, input.config_id)),
    [subjects.listPushConfigs]: handler(listPushConfigsCommandSchema, (input) => configs.list(input.owner, input.job_id, input.query)),
    [subjects.deletePushConfig]: handler(pushConfigCommandSchema, (input) => configs.delete(input.owner, input.job_id, input.config_id)),
  };
}
