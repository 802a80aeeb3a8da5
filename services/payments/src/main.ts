import { defineService } from '@agentmarket/messaging';
import { paymentsSettings } from './config.ts';
import { createPaymentsModule } from './payments.module.ts';

await defineService({ name: 'payments', settings: paymentsSettings, module: createPaymentsModule });
