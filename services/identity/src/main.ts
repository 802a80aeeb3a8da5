import { defineService } from '@agentmarket/messaging';
import { identitySettings } from './config.ts';
import { createIdentityModule } from './identity.module.ts';

await defineService({ name: 'identity', settings: identitySettings, module: createIdentityModule });
