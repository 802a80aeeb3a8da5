import { callOptions, inputData, integerFlag, listFlag, requiredFlag, stringFlag, type Command } from '../command.ts';
import { UsageError } from '../exit-codes.ts';
import { jobLine } from '../format.ts';

export const tasksPost: Command = {
  name: 'tasks post',
  summary: 'Post an open task: the coordinator hires the best service within the budget',
  options: {
    title: { type: 'string' },
    description: { type: 'string' },
    capability: { type: 'string', multiple: true },
    complexity: { type: 'string' },
    'budget-usd': { type: 'string' },
    'budget-sats': { type: 'string' },
    input: { type: 'string', multiple: true },
    'input-json': { type: 'string' },
  },
  optionHelp: ['--title TEXT, --description TEXT   (required)', '--capability C      at least one; repeatable', '--complexity 1-10  (default 5)', '--budget-usd 5.00 | --budget-sats N   exactly one', '--input KEY=VALUE, --input-json {...}'],
  run(context, flags) {
    const usd = stringFlag(flags, 'budget-usd');
    const sats = integerFlag(flags, 'budget-sats');
    if ((usd === undefined) === (sats === undefined)) throw new UsageError('give exactly one of --budget-usd, --budget-sats');
    const body = {
      title: requiredFlag(flags, 'title'),
      description: requiredFlag(flags, 'description'),
      capabilities_required: listFlag(flags, 'capability'),
      complexity: integerFlag(flags, 'complexity') ?? 5,
      ...(usd !== undefined ? { budget_usd: usd } : { budget_sats: sats }),
      input_data: inputData(flags),
    };
    return context.client().tasks.post(body, callOptions(context));
  },
  human: (task) => `task ${task.task_id}: hired ${task.assignment?.service_id ?? '-'} of ${task.assignment?.agent_id ?? '-'}\n${task.job ? jobLine(task.job) : ''}`,
};
