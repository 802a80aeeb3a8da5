import { loadSettings } from '@agentmarket/config';
import { runServiceProcess } from '@agentmarket/messaging';
import { executorSettings } from './config.ts';
import { createExecutorModule } from './executor.module.ts';

const settings = loadSettings(executorSettings);
await runServiceProcess(createExecutorModule(settings), settings);
