import { defineService } from '@agentmarket/messaging';
import { reputationSettings } from './config.ts';
import { createReputationModule } from './reputation.module.ts';

await defineService({ name: 'reputation', settings: reputationSettings, module: createReputationModule });
