import { defineService } from '@agentmarket/messaging';
import { messagingSettings } from './config.ts';
import { messagingModule } from './messaging.module.ts';

await defineService({ name: 'messaging', settings: messagingSettings, module: messagingModule });
