import { describe, expect, it } from 'vitest';
import { AppError } from '@agentmarket/contracts';
import { InputSchemaValidators } from './input-schema-validators.ts';

const schema = { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] };
const service = (id: string, input_schema: Record<string, unknown> | null) => ({ id, input_schema });

describe('InputSchemaValidators', () => {
  it('lets any input through when the service declares no schema', () => {
    const validators = new InputSchemaValidators();
    expect(() => validators.check(service('s', null), { anything: 1 })).not.toThrow();
    expect(validators.size).toBe(0);
  });

  it('refuses input that does not follow the schema with invalid_inputs naming each path', () => {
    const validators = new InputSchemaValidators();
    let refusal: unknown;
    try {
      validators.check(service('s', schema), { topic: 3 });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('invalid_inputs');
    expect((refusal as AppError).details).toEqual({ service_id: 's', errors: [{ path: '/topic', message: 'must be string' }] });
  });

  it('compiles each schema once, whatever service or copy carries it', () => {
    const validators = new InputSchemaValidators();
    validators.check(service('a', schema), { topic: 'x' });
    validators.check(service('b', structuredClone(schema)), { topic: 'y' });
    expect(validators.size).toBe(1);
    validators.check(service('a', { ...schema, required: [] }), {});
    expect(validators.size).toBe(2);
  });

  it('keeps at most its bound, dropping the oldest', () => {
    const validators = new InputSchemaValidators(2);
    for (const minLength of [1, 2, 3]) validators.check(service('a', { type: 'object', properties: { t: { type: 'string', minLength } } }), {});
    expect(validators.size).toBe(2);
  });
});
