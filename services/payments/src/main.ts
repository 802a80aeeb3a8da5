import { loadProcessSettings } from '@agentmarket/config';
import { runServiceProcess } from '@agentmarket/messaging';
import { paymentsSettings } from './config.ts';
import { createPaymentsModule } from './payments.module.ts';

const settings = loadProcessSettings('payments', paymentsSettings);
await runServiceProcess(createPaymentsModule(settings), settings);
