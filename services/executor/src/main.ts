import { defineService } from '@agentmarket/messaging';
import { executorSettings } from './config.ts';
import { createExecutorModule } from './executor.module.ts';

await defineService({ name: 'executor', settings: executorSettings, module: createExecutorModule });
