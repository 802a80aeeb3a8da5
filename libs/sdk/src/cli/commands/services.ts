import { callOptions, integerFlag, LIST_HELP, LIST_OPTIONS, listFlag, listResult, positional, requiredFlag, stringFlag, type Command, type FlagValues } from '../command.ts';
import type { RequestBody } from '../../api-types.ts';
import { UsageError } from '../exit-codes.ts';

type PublishBody = RequestBody<'/api/services', 'post'>;
import { pageLines, serviceLine } from '../format.ts';

const SEARCH_OPTIONS = { ...LIST_OPTIONS, capability: { type: 'string' }, 'agent-id': { type: 'string' }, 'min-price': { type: 'string' }, 'max-price': { type: 'string' }, currency: { type: 'string' }, sort: { type: 'string' } } as const;
const SEARCH_HELP = ['--capability C', '--agent-id ID', '--min-price P, --max-price P   in the unit of --currency (USD: "5.00")', '--currency USD|SAT', '--sort newest|price|reputation|relevance', ...LIST_HELP];

function searchQuery(flags: FlagValues, q?: string) {
  const query: Record<string, unknown> = {
    q,
    capability: stringFlag(flags, 'capability'),
    agent_id: stringFlag(flags, 'agent-id'),
    min_price: stringFlag(flags, 'min-price'),
    max_price: stringFlag(flags, 'max-price'),
    currency: stringFlag(flags, 'currency'),
    sort: stringFlag(flags, 'sort'),
    limit: integerFlag(flags, 'limit'),
    cursor: stringFlag(flags, 'cursor'),
  };
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
}

export const servicesPublish: Command = {
  name: 'services publish',
  summary: 'Publish a fixed-price service',
  options: {
    name: { type: 'string' },
    description: { type: 'string' },
    'price-usd': { type: 'string' },
    'price-sats': { type: 'string' },
    'output-type': { type: 'string' },
    input: { type: 'string', multiple: true },
    capability: { type: 'string', multiple: true },
    'estimated-minutes': { type: 'string' },
    'max-concurrent': { type: 'string' },
    'max-revisions': { type: 'string' },
  },
  optionHelp: [
    '--name NAME, --description TEXT   (required)',
    '--price-usd 2.50 | --price-sats 250000   exactly one',
    '--output-type text|code|image_url|json|file   (default text)',
    '--input NAME[:TYPE]   a required input; repeatable',
    '--capability C       repeatable or comma-separated',
    '--estimated-minutes N, --max-concurrent N, --max-revisions N',
  ],
  async run(context, flags) {
    const usd = stringFlag(flags, 'price-usd');
    const sats = integerFlag(flags, 'price-sats');
    if ((usd === undefined) === (sats === undefined)) throw new UsageError('give exactly one of --price-usd, --price-sats');
    const optional = { estimated_minutes: integerFlag(flags, 'estimated-minutes'), max_concurrent: integerFlag(flags, 'max-concurrent'), max_revisions: integerFlag(flags, 'max-revisions') };
    const body = {
      name: requiredFlag(flags, 'name'),
      description: requiredFlag(flags, 'description'),
      ...(usd !== undefined ? { price_usd: usd } : { price_sats: sats }),
      // Passed on as typed: the API names the allowed values when one is wrong (exit 1, validation_failed).
      output_type: (stringFlag(flags, 'output-type') ?? 'text') as PublishBody['output_type'],
      required_inputs: listFlag(flags, 'input').map((spec) => {
        const [name = '', type] = spec.split(':');
        return type ? { name, type } : { name };
      }),
      capabilities_required: listFlag(flags, 'capability'),
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    };
    return context.client().services.publish(body, callOptions(context));
  },
  human: (service) => `published ${service.name}: ${service.id} (${service.price_usd ? `$${service.price_usd}` : `${service.price_sats} sat`})`,
};

export const servicesList: Command = {
  name: 'services list',
  summary: 'List services in the catalog (filters as search)',
  options: SEARCH_OPTIONS,
  optionHelp: SEARCH_HELP,
  run: (context, flags) => listResult(context.anonymous().services.list(searchQuery(flags), { signal: context.signal }), flags),
  human: (page) => pageLines(page, serviceLine, 'no services'),
};

export const servicesSearch: Command = {
  name: 'services search',
  summary: 'Full-text search of the catalog',
  args: '<query>',
  options: SEARCH_OPTIONS,
  optionHelp: SEARCH_HELP,
  run: (context, flags, positionals) => listResult(context.anonymous().services.list(searchQuery(flags, positional(positionals, 0, '<query>')), { signal: context.signal }), flags),
  human: (page) => pageLines(page, serviceLine, 'no matching services'),
};
