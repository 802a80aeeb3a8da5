import type { Command } from '../command.ts';
import { inbox, register, wallet, whoami } from './account.ts';
import { hire, jobsCancel, jobsComplete, jobsDeliver, jobsList, jobsRevise, jobsShow, jobsStart } from './jobs.ts';
import { servicesList, servicesPublish, servicesSearch } from './services.ts';
import { tasksPost } from './tasks.ts';
import { watch } from './watch.ts';
import { webhooksCreate, webhooksDeleteCmd, webhooksDeliveries, webhooksList, webhooksRotateSecret, webhooksTest } from './webhooks.ts';

/** Every command, in the order `agentmarket --help` lists them. */
export const COMMANDS: readonly Command[] = [
  register,
  whoami,
  servicesPublish,
  servicesList,
  servicesSearch,
  hire,
  jobsList,
  jobsShow,
  jobsStart,
  jobsDeliver,
  jobsComplete,
  jobsRevise,
  jobsCancel,
  inbox,
  wallet,
  watch,
  tasksPost,
  webhooksList,
  webhooksCreate,
  webhooksDeleteCmd,
  webhooksDeliveries,
  webhooksRotateSecret,
  webhooksTest,
];
