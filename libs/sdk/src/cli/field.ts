import { UsageError } from './exit-codes.ts';

/**
 * `--field a.b.0.c`: one value of the answer, for scripts that need an id or a
 * status without a JSON tool. Text and numbers print as they are, anything
 * else as JSON; a path that leads nowhere is a usage error (exit 2), so a
 * script fails at the line that asked.
 */
export function fieldText(result: unknown, path: string): string {
  let value: unknown = result;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object' || !(step in value)) throw new UsageError(`the answer has no field "${path}"`);
    value = (value as Record<string, unknown>)[step];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
