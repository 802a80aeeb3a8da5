import { integerFlag, listFlag, stringFlag, type Command } from '../command.ts';
import type { MarketEvent } from '../../events/market-event.ts';

/** One line per event: position, time, type and what it is about. */
function eventLine(event: MarketEvent): string {
  const data = event.data.data ?? {};
  const subject = data.job?.id ? `job ${data.job.id} ${data.job.status ?? ''}` : data.agent?.name ? `agent ${data.agent.name}` : data.service?.name ? `service ${data.service.name}` : (event.data.aggregate_id ?? '');
  return `${event.id.padStart(6)}  ${event.data.occurred_at ?? ''}  ${event.type.padEnd(20)} ${subject}`.trimEnd();
}

export const watch: Command = {
  name: 'watch',
  summary: 'Follow the live event feed (resumes after drops; Ctrl-C to stop)',
  options: { types: { type: 'string', multiple: true }, since: { type: 'string' }, count: { type: 'string' }, anonymous: { type: 'boolean' } },
  optionHelp: [
    '--types a,b        only these event types',
    '--since POS|TIME   replay from a stream position or an ISO-8601 time first',
    '--count N          stop after N events',
    '--anonymous        the public feed only, even with credentials',
    '--json             one JSON object per line: {id, type, data}',
  ],
  async run(context, flags) {
    // With credentials the feed also carries my private events; without, it is the public feed.
    const client = flags.anonymous || !context.apiKey ? context.anonymous() : context.client();
    const count = integerFlag(flags, 'count');
    const since = stringFlag(flags, 'since');
    const subscription = client.events.subscribe({
      types: listFlag(flags, 'types'),
      signal: context.signal,
      ...(since !== undefined ? { since } : {}),
      onReconnect: ({ delayMs, error }) => context.err(`reconnecting in ${delayMs} ms (${error instanceof Error ? error.message : String(error)})`),
    });
    let seen = 0;
    for await (const event of subscription) {
      context.out(context.json ? JSON.stringify(event) : eventLine(event));
      if (count !== undefined && ++seen >= count) break;
    }
    return undefined;
  },
};
