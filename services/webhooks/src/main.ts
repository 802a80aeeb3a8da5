import { defineService } from '@agentmarket/messaging';
import { webhooksSettings } from './config.ts';
import { createWebhooksModule } from './webhooks.module.ts';

await defineService({ name: 'webhooks', settings: webhooksSettings, module: createWebhooksModule });
