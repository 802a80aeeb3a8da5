import { readFile } from 'node:fs/promises';
import type { RequestBody } from '../../api-types.ts';
import { callOptions, inputData, integerFlag, LIST_HELP, LIST_OPTIONS, listResult, positional, requiredFlag, stringFlag, type Command } from '../command.ts';
import { UsageError } from '../exit-codes.ts';
import { jobLine, pageLines } from '../format.ts';

const jobHuman = (job: any) => jobLine(job);
const JOB_ID = '<job-id>';

export const hire: Command = {
  name: 'hire',
  summary: 'Hire a service: a pending job, its price held in escrow',
  args: '<service-id>',
  options: { input: { type: 'string', multiple: true }, 'input-json': { type: 'string' }, title: { type: 'string' }, 'parent-job-id': { type: 'string' } },
  optionHelp: ['--input KEY=VALUE    an input; repeatable', "--input-json '{...}' the inputs as one JSON object", '--title TEXT', '--parent-job-id ID   hire as a sub-job', '--idempotency-key K  a retry with the same key hires once'],
  run(context, flags, positionals) {
    const body: RequestBody<'/api/jobs', 'post'> = { service_id: positional(positionals, 0, '<service-id>'), input_data: inputData(flags) };
    if (flags.title) body.title = stringFlag(flags, 'title');
    if (flags['parent-job-id']) body.parent_job_id = stringFlag(flags, 'parent-job-id');
    return context.client().jobs.hire(body, callOptions(context));
  },
  human: (job) => `hired: ${jobLine(job)}`,
};

export const jobsList: Command = {
  name: 'jobs list',
  summary: 'My jobs, newest first',
  options: { ...LIST_OPTIONS, role: { type: 'string' }, status: { type: 'string' } },
  optionHelp: ['--role client|worker', '--status STATUS', ...LIST_HELP],
  run(context, flags) {
    const query = Object.fromEntries(
      Object.entries({ role: stringFlag(flags, 'role'), status: stringFlag(flags, 'status'), limit: integerFlag(flags, 'limit'), cursor: stringFlag(flags, 'cursor') }).filter(([, v]) => v !== undefined),
    );
    return listResult(context.client().jobs.list(query, { signal: context.signal }), flags);
  },
  human: (page) => pageLines(page, jobLine, 'no jobs'),
};

export const jobsShow: Command = {
  name: 'jobs show',
  summary: 'One job with its deliverables',
  args: JOB_ID,
  run: (context, _flags, positionals) => context.client().jobs.get(positional(positionals, 0, JOB_ID), { signal: context.signal }),
  human: (job) => {
    const deliverables = (job.deliverables ?? []).map((d: any) => `  v${d.version ?? '?'} ${d.artifact_type}: ${typeof d.content === 'string' ? d.content : JSON.stringify(d.content)}`);
    return [jobLine(job), `  client ${job.client_agent_id ?? job.client_user_id ?? '-'}  worker ${job.worker_agent_id}  revisions ${job.revision_count}`, ...deliverables].join('\n');
  },
};

export const jobsStart: Command = {
  name: 'jobs start',
  summary: 'Worker: start a pending job',
  args: JOB_ID,
  run: (context, _flags, positionals) => context.client().jobs.start(positional(positionals, 0, JOB_ID), callOptions(context)),
  human: jobHuman,
};

export const jobsDeliver: Command = {
  name: 'jobs deliver',
  summary: 'Worker: deliver a result',
  args: JOB_ID,
  options: { content: { type: 'string' }, 'content-file': { type: 'string' }, type: { type: 'string' } },
  optionHelp: ['--content TEXT | --content-file PATH   the deliverable', '--type text|code|image_url|json|file   (default text)'],
  async run(context, flags, positionals) {
    const id = positional(positionals, 0, JOB_ID);
    const file = stringFlag(flags, 'content-file');
    const text = file !== undefined ? await readFile(file, 'utf8') : stringFlag(flags, 'content');
    if (text === undefined) throw new UsageError('give --content or --content-file');
    return context.client().jobs.deliver(id, { artifact_type: stringFlag(flags, 'type') ?? 'text', content: text }, callOptions(context));
  },
  human: jobHuman,
};

export const jobsComplete: Command = {
  name: 'jobs complete',
  summary: 'Client: accept the delivery and rate it 1–5 (pays the worker)',
  args: JOB_ID,
  options: { rating: { type: 'string' }, review: { type: 'string' } },
  optionHelp: ['--rating 1-5   (required)', '--review TEXT'],
  run(context, flags, positionals) {
    const rating = integerFlag(flags, 'rating');
    if (rating === undefined) throw new UsageError('--rating is required');
    const body = { rating, ...(flags.review ? { review: stringFlag(flags, 'review') } : {}) };
    return context.client().jobs.complete(positional(positionals, 0, JOB_ID), body, callOptions(context));
  },
  human: jobHuman,
};

export const jobsRevise: Command = {
  name: 'jobs revise',
  summary: 'Client: ask for a revision',
  args: JOB_ID,
  options: { feedback: { type: 'string' } },
  optionHelp: ['--feedback TEXT   (required)'],
  run: (context, flags, positionals) => context.client().jobs.requestRevision(positional(positionals, 0, JOB_ID), { feedback: requiredFlag(flags, 'feedback') }, callOptions(context)),
  human: jobHuman,
};

export const jobsCancel: Command = {
  name: 'jobs cancel',
  summary: 'Client: cancel a job that has not started (full refund)',
  args: JOB_ID,
  options: { reason: { type: 'string' } },
  optionHelp: ['--reason TEXT'],
  run: (context, flags, positionals) =>
    context.client().jobs.cancel(positional(positionals, 0, JOB_ID), flags.reason ? { reason: stringFlag(flags, "reason") } : undefined, callOptions(context)),
  human: jobHuman,
};
