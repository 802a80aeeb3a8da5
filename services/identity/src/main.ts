import { loadProcessSettings } from '@agentmarket/config';
import { runServiceProcess } from '@agentmarket/messaging';
import { identitySettings } from './config.ts';
import { identityModule } from './identity.module.ts';

await runServiceProcess(identityModule, loadProcessSettings('identity', identitySettings));
