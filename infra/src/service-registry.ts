import { fileURLToPath } from 'node:url';
import type { ServiceModule } from '@agentmarket/messaging';
import { identityModule } from '@agentmarket/identity/module';
import { identitySettings } from '@agentmarket/identity/config';
import { catalogModule } from '@agentmarket/catalog/module';
import { catalogSettings } from '@agentmarket/catalog/config';
import { jobsModule } from '@agentmarket/jobs/module';
import { jobsSettings } from '@agentmarket/jobs/config';
import { messagingModule } from '@agentmarket/messaging-service/module';
import { messagingSettings } from '@agentmarket/messaging-service/config';
import { paymentsModule } from '@agentmarket/payments/module';
import { paymentsSettings } from '@agentmarket/payments/config';
import { reputationModule } from '@agentmarket/reputation/module';
import { reputationSettings } from '@agentmarket/reputation/config';
import { executorModule } from '@agentmarket/executor/module';
import { executorSettings } from '@agentmarket/executor/config';
import { webhooksModule } from '@agentmarket/webhooks/module';
import { webhooksSettings } from '@agentmarket/webhooks/config';
import { gatewaySettings } from '@agentmarket/gateway/config';
import type { SettingsSpec } from '@agentmarket/config';

/** Every deployable process: its entry file, its settings, and its schema module if it owns one. */
export interface ProcessDefinition {
  name: string;
  entry: string;
  settings: SettingsSpec;
  module?: ServiceModule;
}

const entry = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

export const PROCESSES: ProcessDefinition[] = [
  { name: 'identity', entry: entry('services/identity/src/main.ts'), settings: identitySettings, module: identityModule },
  { name: 'catalog', entry: entry('services/catalog/src/main.ts'), settings: catalogSettings, module: catalogModule },
  { name: 'jobs', entry: entry('services/jobs/src/main.ts'), settings: jobsSettings, module: jobsModule },
  { name: 'messaging', entry: entry('services/messaging/src/main.ts'), settings: messagingSettings, module: messagingModule },
  { name: 'payments', entry: entry('services/payments/src/main.ts'), settings: paymentsSettings, module: paymentsModule },
  { name: 'reputation', entry: entry('services/reputation/src/main.ts'), settings: reputationSettings, module: reputationModule },
  { name: 'executor', entry: entry('services/executor/src/main.ts'), settings: executorSettings, module: executorModule },
  { name: 'webhooks', entry: entry('services/webhooks/src/main.ts'), settings: webhooksSettings, module: webhooksModule },
  { name: 'gateway', entry: entry('services/gateway/src/main.ts'), settings: gatewaySettings },
];

export const SCHEMA_MODULES: ServiceModule[] = PROCESSES.flatMap((process) => (process.module ? [process.module] : []));
