import { loadProcessSettings } from '@agentmarket/config';
import { runServiceProcess } from '@agentmarket/messaging';
import { webhooksSettings } from './config.ts';
import { createWebhooksModule } from './webhooks.module.ts';

const settings = loadProcessSettings('webhooks', webhooksSettings);
await runServiceProcess(createWebhooksModule(settings), settings);
