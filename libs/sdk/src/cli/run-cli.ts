import { parseArgs } from 'node:util';
import { AgentMarketError, AgentMarketNetworkError } from '../errors.ts';
import type { Command } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { buildContext } from './context.ts';
import { EXIT, MissingCredentialsError, UsageError } from './exit-codes.ts';
import { fieldText } from './field.ts';
import { commandHelp, GLOBAL_OPTIONS, mainHelp } from './help.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** The command named by the leading words (`jobs list` before `jobs`), and the arguments after them. */
function findCommand(argv: string[]): { command: Command | undefined; rest: string[] } {
  const [first, second] = argv;
  const two = COMMANDS.find((command) => command.name === `${first} ${second}`);
  if (two) return { command: two, rest: argv.slice(2) };
  return { command: COMMANDS.find((command) => command.name === first), rest: argv.slice(1) };
}

/** Runs one CLI invocation and returns its exit code; all output goes through `io`. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { command, rest } = findCommand(argv);
  if (!command) {
    // A group word alone (`jobs`, `webhooks --help`): its commands.
    const group = COMMANDS.filter((candidate) => candidate.name.startsWith(`${argv[0]} `));
    if (group.length > 0) {
      const asked = argv.includes('--help') || argv.includes('-h');
      (asked ? io.out : io.err)(mainHelp(group));
      return asked ? EXIT.ok : EXIT.usage;
    }
    const wantsHelp = argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help';
    (wantsHelp ? io.out : io.err)(wantsHelp ? mainHelp(COMMANDS) : `agentmarket: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${mainHelp(COMMANDS)}`);
    return wantsHelp ? EXIT.ok : EXIT.usage;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`agentmarket ${command.name}: ${(error as Error).message}\n\n${commandHelp(command)}`);
    return EXIT.usage;
  }
  const flags = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
  if (flags.help) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  const json = flags.json === true;
  try {
    const context = await buildContext({ flags: flags as Parameters<typeof buildContext>[0]['flags'], env: io.env, out: io.out, err: io.err, signal: io.signal });
    const result = await command.run(context, flags, parsed.positionals);
    const field = typeof flags.field === 'string' ? flags.field : undefined;
    if (result === undefined) return EXIT.ok;
    if (field !== undefined) io.out(fieldText(result, field));
    else io.out(json || !command.human ? JSON.stringify(result, null, json ? undefined : 2) : command.human(result));
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, command, json, io);
  }
}

function reportFailure(error: unknown, command: Command, json: boolean, io: CliIo): number {
  if (io.signal.aborted) return EXIT.ok;
  if (error instanceof UsageError) {
    io.err(`agentmarket ${command.name}: ${error.message}\n\n${commandHelp(command)}`);
    return EXIT.usage;
  }
  if (error instanceof MissingCredentialsError) {
    io.err(`agentmarket: ${error.message}`);
    return EXIT.authMissing;
  }
  if (error instanceof AgentMarketError) {
    // The code first on the line, so scripts can `grep`/`cut` it; the whole error as JSON with --json.
    if (json) io.err(JSON.stringify({ error: { code: error.code, message: error.message, details: error.details, status: error.status, request_id: error.requestId ?? null } }));
    else {
      const details = Object.keys(error.details).length > 0 ? ` ${JSON.stringify(error.details)}` : '';
      io.err(`${error.code}: ${error.message}${details}${error.requestId ? ` (request ${error.requestId})` : ''}`);
    }
    return error instanceof AgentMarketNetworkError ? EXIT.network : EXIT.apiError;
  }
  io.err(`agentmarket ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT.apiError;
}
