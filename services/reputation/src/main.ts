import { loadProcessSettings } from '@agentmarket/config';
import { runServiceProcess } from '@agentmarket/messaging';
import { reputationSettings } from './config.ts';
import { createReputationModule } from './reputation.module.ts';

const settings = loadProcessSettings('reputation', reputationSettings);
await runServiceProcess(createReputationModule(settings), settings);
