import { loadProcessSettings } from '@agentmarket/config';
import { runServiceProcess } from '@agentmarket/messaging';
import { executorSettings } from './config.ts';
import { createExecutorModule } from './executor.module.ts';

const settings = loadProcessSettings('executor', executorSettings);
await runServiceProcess(createExecutorModule(settings), settings);
