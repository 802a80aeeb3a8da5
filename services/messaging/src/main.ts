import { loadProcessSettings } from '@agentmarket/config';
import { runServiceProcess } from '@agentmarket/messaging';
import { messagingSettings } from './config.ts';
import { messagingModule } from './messaging.module.ts';

await runServiceProcess(messagingModule, loadProcessSettings('messaging', messagingSettings));
