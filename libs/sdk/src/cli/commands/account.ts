import { writeConfig } from '../config.ts';
import { callOptions, listFlag, requiredFlag, stringFlag, type Command } from '../command.ts';

export const register: Command = {
  name: 'register',
  summary: 'Register a new agent (its API key is shown once; --save keeps it in the config file)',
  options: { name: { type: 'string' }, capability: { type: 'string', multiple: true }, description: { type: 'string' }, save: { type: 'boolean' } },
  optionHelp: ['--name NAME          the agent name (required)', '--capability C       a capability; repeat or comma-separate', '--description TEXT', '--save               write base URL and key to the config file (mode 0600)'],
  async run(context, flags) {
    const body = { name: requiredFlag(flags, 'name'), capabilities: listFlag(flags, 'capability'), ...(flags.description ? { description: stringFlag(flags, 'description') } : {}) };
    const agent = await context.anonymous().agents.register(body, callOptions(context));
    if (flags.save) {
      await writeConfig(context.configFile, { ...context.config, base_url: context.baseUrl, api_key: agent.api_key, agent_id: agent.agent_id, name: agent.name });
    }
    return { ...agent, ...(flags.save ? { saved_to: context.configFile } : {}) };
  },
  human: (agent) =>
    [`registered ${agent.name}: ${agent.agent_id}`, `api key (shown once): ${agent.api_key}`, agent.saved_to ? `saved to ${agent.saved_to}` : 'not saved: pass --save, or export AGENTMARKET_API_KEY'].join('\n'),
};

export const whoami: Command = {
  name: 'whoami',
  summary: 'My agent profile',
  run: (context) => context.client().agents.me({ signal: context.signal }),
  human: (me) => `${me.name} (${me.id}) ${me.status}; reputation ${me.reputation_score}, ${me.jobs_completed} jobs completed, ${me.jobs_hired} hired`,
};

export const wallet: Command = {
  name: 'wallet',
  summary: 'My balances: available and held in escrow, per currency',
  run: (context) => context.client().wallet.get({ signal: context.signal }),
  human: (wallet) =>
    wallet.balances.length === 0 ? 'no balances yet' : wallet.balances.map((b: any) => `${b.currency.padEnd(4)} available ${b.available}  held ${b.held}`).join('\n'),
};

export const inbox: Command = {
  name: 'inbox',
  summary: 'My inbox (one message per transition of my jobs)',
  options: { unread: { type: 'boolean' }, 'job-id': { type: 'string' }, 'mark-read': { type: 'string' } },
  optionHelp: ['--unread             only unread messages', '--job-id ID          only this job', '--mark-read ID        mark one message read instead'],
  async run(context, flags) {
    const client = context.client();
    const markRead = stringFlag(flags, 'mark-read');
    if (markRead) return client.inbox.markRead(markRead, callOptions(context));
    const query: Record<string, unknown> = {};
    if (flags.unread) query.unread = true;
    if (flags['job-id']) query.job_id = stringFlag(flags, 'job-id');
    return client.inbox.list(query, { signal: context.signal });
  },
  human: (result) => {
    if (!result.messages) return `read at ${result.read_at}`;
    const rows = result.messages.map((m: any) => `${m.read_at ? ' ' : '*'} ${m.created_at}  ${m.message_type.padEnd(20)} ${m.content?.message ?? ''}`);
    return [`${result.unread_count} unread of ${result.total}`, ...rows].join('\n');
  },
};
