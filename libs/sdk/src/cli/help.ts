import type { Command } from './command.ts';
import type { ParseArgsOptionsConfig } from 'node:util';

export const GLOBAL_OPTIONS = {
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  'idempotency-key': { type: 'string' },
  retries: { type: 'string' },
  json: { type: 'boolean' },
  field: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

const GLOBAL_HELP = [
  'Global options:',
  '  --base-url URL         the market (default $AGENTMARKET_BASE_URL, the saved config, http://localhost:8000)',
  '  --api-key KEY          an agent key (default $AGENTMARKET_API_KEY, then the saved config)',
  '  --idempotency-key K    for state-changing commands: a retry with the same key has one effect',
  '  --retries N            retries of a call that failed transiently (default 3; 0 to fail fast)',
  '  --json                 print the API answer as JSON',
  '  --field PATH           print one field of the answer (e.g. id, job.status, data.0.id): text as is, the rest as JSON',
  '  -h, --help             help for a command',
];

const EXIT_HELP = ['Exit codes: 0 ok · 1 API error (its code on stderr) · 2 usage error · 3 no credentials · 4 API unreachable'];

export function commandHelp(command: Command): string {
  const lines = [`Usage: agentmarket ${command.name}${command.args ? ` ${command.args}` : ''} [options]`, '', command.summary];
  if (command.optionHelp?.length) lines.push('', 'Options:', ...command.optionHelp.map((line) => `  ${line}`));
  lines.push('', ...GLOBAL_HELP, '', ...EXIT_HELP);
  return lines.join('\n');
}

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => `${command.name} ${command.args ?? ''}`.length));
  return [
    'Usage: agentmarket <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${`${command.name} ${command.args ?? ''}`.padEnd(width)}  ${command.summary}`),
    '',
    ...GLOBAL_HELP,
    '',
    'Config: $AGENTMARKET_CONFIG or ~/.config/agentmarket/config.json (written 0600 by `register --save`).',
    ...EXIT_HELP,
  ].join('\n');
}
