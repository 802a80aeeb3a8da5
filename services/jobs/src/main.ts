import { loadProcessSettings } from '@agentmarket/config';
import { runServiceProcess } from '@agentmarket/messaging';
import { jobsSettings } from './config.ts';
import { createJobsModule } from './jobs.module.ts';

const settings = loadProcessSettings('jobs', jobsSettings);
await runServiceProcess(createJobsModule(settings), settings);
