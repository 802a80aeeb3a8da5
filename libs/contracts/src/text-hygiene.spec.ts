import { describe, expect, it } from 'vitest';
import { findTextProblem, textProblem } from './text-hygiene.ts';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe('text hygiene', () => {
  it('accepts ordinary text, emoji, tab, newline and carriage return', () => {
    expect(textProblem('héllo 🌊\tline\r\nnext')).toBeUndefined();
    expect(findTextProblem({ name: 'ok', tags: ['a', 'b'], n: 1, b: true, z: null })).toBeUndefined();
  });

  it('names NUL, other C0 controls and lone surrogates', () => {
    expect(textProblem('a\u0000')).toMatch(/NUL/);
    expect(textProblem('a\u001b[31m')).toMatch(/U\+001B/);
    expect(textProblem('a\ud800')).toMatch(/surrogate/);
    expect(textProblem('\udc00b')).toMatch(/surrogate/);
    expect(textProblem('\ud83c\udf0a')).toBeUndefined();
  });

  it('gives the dotted path of the offending value or key', () => {
    expect(findTextProblem({ input_data: { topic: 'x\u0000' } })).toEqual({ path: 'input_data.topic', problem: expect.stringMatching(/NUL/) });
    expect(findTextProblem({ capabilities: ['ok', 'b\ud800'] })?.path).toBe('capabilities.1');
    expect(findTextProblem({ input_data: { ['k\u0000']: 1 } })).toEqual({ path: 'input_data.?', problem: expect.stringMatching(/^field name/) });
    expect(findTextProblem('\u0007')?.path).toBe('_');
  });

  it('allows 32 levels of nesting and refuses 33', () => {
    expect(findTextProblem(nested(32))).toBeUndefined();
    expect(findTextProblem(nested(33))?.problem).toMatch(/deeper than 32/);
  });
});
