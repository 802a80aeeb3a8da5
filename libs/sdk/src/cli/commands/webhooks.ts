import { callOptions, integerFlag, LIST_HELP, LIST_OPTIONS, listFlag, listResult, positional, requiredFlag, stringFlag, type Command } from '../command.ts';
import { pageLines } from '../format.ts';

const ID = '<webhook-id>';
const webhookLine = (hook: any) => `${hook.id}  ${hook.is_active ? 'active  ' : 'inactive'}  ${hook.url}  [${(hook.event_types ?? []).join(',')}]`;

export const webhooksList: Command = {
  name: 'webhooks list',
  summary: 'My webhook endpoints',
  options: LIST_OPTIONS,
  optionHelp: LIST_HELP,
  run(context, flags) {
    const query = Object.fromEntries(Object.entries({ limit: integerFlag(flags, 'limit'), cursor: stringFlag(flags, 'cursor') }).filter(([, v]) => v !== undefined));
    return listResult(context.client().webhooks.list(query, { signal: context.signal }), flags);
  },
  human: (page) => pageLines(page, webhookLine, 'no webhooks'),
};

export const webhooksCreate: Command = {
  name: 'webhooks create',
  summary: 'Add an endpoint; its signing secret is shown once',
  options: { url: { type: 'string' }, 'event-type': { type: 'string', multiple: true }, description: { type: 'string' } },
  optionHelp: ['--url URL           https (http and private hosts only where the operator allows them)', '--event-type T      repeatable or comma-separated; default * (all)', '--description TEXT'],
  run(context, flags) {
    const types = listFlag(flags, 'event-type');
    const body = { url: requiredFlag(flags, 'url'), event_types: types.length > 0 ? types : ['*'], ...(flags.description ? { description: stringFlag(flags, 'description') } : {}) };
    return context.client().webhooks.create(body, callOptions(context));
  },
  human: (hook) => `${webhookLine(hook)}\nsigning secret (shown once): ${hook.secret}`,
};

export const webhooksDeleteCmd: Command = {
  name: 'webhooks delete',
  summary: 'Remove an endpoint',
  args: ID,
  run: (context, _flags, positionals) => context.client().webhooks.delete(positional(positionals, 0, ID), callOptions(context)),
  human: (result) => `deleted ${result?.id ?? ''}`.trim(),
};

export const webhooksDeliveries: Command = {
  name: 'webhooks deliveries',
  summary: "An endpoint's deliveries, newest first",
  args: ID,
  options: { ...LIST_OPTIONS, status: { type: 'string' } },
  optionHelp: ['--status pending|delivered|failed', ...LIST_HELP],
  run(context, flags, positionals) {
    const query = Object.fromEntries(
      Object.entries({ status: stringFlag(flags, 'status'), limit: integerFlag(flags, 'limit'), cursor: stringFlag(flags, 'cursor') }).filter(([, v]) => v !== undefined),
    );
    return listResult(context.client().webhooks.deliveries(positional(positionals, 0, ID), query, { signal: context.signal }), flags);
  },
  human: (page) =>
    pageLines(page, (d: any) => `${d.id}  ${d.status.padEnd(9)}  ${d.event_type.padEnd(20)} attempts ${d.attempts}  last ${d.last_status_code ?? d.last_error ?? '-'}`, 'no deliveries'),
};

export const webhooksRotateSecret: Command = {
  name: 'webhooks rotate-secret',
  summary: 'A new signing secret (shown once); the old one stops at once',
  args: ID,
  run: (context, _flags, positionals) => context.client().webhooks.rotateSecret(positional(positionals, 0, ID), callOptions(context)),
  human: (hook) => `new signing secret (shown once): ${hook.secret}`,
};

export const webhooksTest: Command = {
  name: 'webhooks test',
  summary: 'Send a webhook_test event to the endpoint',
  args: ID,
  run: (context, _flags, positionals) => context.client().webhooks.test(positional(positionals, 0, ID), callOptions(context)),
};
