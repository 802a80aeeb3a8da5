import { defineService } from '@agentmarket/messaging';
import { jobsSettings } from './config.ts';
import { createJobsModule } from './jobs.module.ts';

await defineService({ name: 'jobs', settings: jobsSettings, module: createJobsModule });
