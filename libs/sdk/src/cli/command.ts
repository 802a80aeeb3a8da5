import type { ParseArgsOptionsConfig } from 'node:util';
import type { CallOptions } from '../http/transport.ts';
import type { CommandContext } from './context.ts';
import { UsageError } from './exit-codes.ts';

export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One CLI command: its words (`jobs list`), help text, options, and what it does. */
export interface Command {
  name: string;
  summary: string;
  /** The positional part of the synopsis, e.g. `<job-id>`. */
  args?: string;
  options?: ParseArgsOptionsConfig;
  /** Lines of help for the options, shown by `--help`. */
  optionHelp?: string[];
  run(context: CommandContext, flags: FlagValues, positionals: string[]): Promise<unknown>;
  /** The human rendering of the result (the default is indented JSON); `--json` always prints the JSON. */
  human?(result: any): string;
}

/** The caller's `--idempotency-key`, for the command's state-changing call. */
export function callOptions(context: CommandContext): CallOptions {
  return { signal: context.signal, ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}) };
}

export function positional(positionals: string[], index: number, name: string): string {
  const value = positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${name}`);
  return value;
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredFlag(flags: FlagValues, name: string): string {
  const value = stringFlag(flags, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function listFlag(flags: FlagValues, name: string): string[] {
  const value = flags[name];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  // Both `--capability a --capability b` and `--capability a,b`.
  return items.flatMap((item) => String(item).split(',')).map((item) => item.trim()).filter(Boolean);
}

export function integerFlag(flags: FlagValues, name: string): number | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be an integer`);
  return Number(value);
}

/** `--input key=value` pairs (the value parsed as JSON when it is JSON, else kept as text), merged over `--input-json`. */
export function inputData(flags: FlagValues): Record<string, unknown> {
  const base = stringFlag(flags, 'input-json');
  let data: Record<string, unknown> = {};
  if (base !== undefined) {
    try {
      data = JSON.parse(base) as Record<string, unknown>;
    } catch {
      throw new UsageError('--input-json must be a JSON object');
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError('--input-json must be a JSON object');
  }
  for (const pair of listFlagRaw(flags, 'input')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--input expects key=value, got "${pair}"`);
    data[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return data;
}

/** Repeated values as given (no splitting on commas: input values may hold them). */
function listFlagRaw(flags: FlagValues, name: string): string[] {
  const value = flags[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
}

export const LIST_OPTIONS: ParseArgsOptionsConfig = {
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
};
export const LIST_HELP = ['--limit N          items per page (max 100)', '--cursor C         start at this page', '--all              follow next_cursor through every page'];

/** One page (`{data, next_cursor}`), or with `--all` every item of every page (`{data}`). */
export async function listResult<T>(list: { page(): Promise<{ data: T[]; next_cursor: string | null }>; toArray(max?: number): Promise<T[]> }, flags: FlagValues) {
  if (flags.all) return { data: await list.toArray(), next_cursor: null };
  return list.page();
}
