import { describe, expect, it } from 'vitest';
import { compileInputSchema, createServiceInputSchema, inputErrors, inputSchemaProblem, updateServiceInputSchema } from './index.ts';

const service = { name: 'Typed', description: 'typed', price_usd: '1.00', output_type: 'text' };

describe('inputSchemaProblem', () => {
  it('accepts a usable schema, local references and unknown annotation keywords', () => {
    expect(inputSchemaProblem({ type: 'object', properties: { a: { type: 'string', format: 'date' } }, required: ['a'] })).toBeUndefined();
    expect(inputSchemaProblem({ $defs: { a: { type: 'string' } }, properties: { a: { $ref: '#/$defs/a' } } })).toBeUndefined();
    expect(inputSchemaProblem({ type: 'object', 'x-ui': { widget: 'textarea' } })).toBeUndefined();
  });

  it.each([
    [{ type: 'strnig' }, /does not compile/],
    [{ properties: { a: { $ref: 'other.json#/a' } } }, /\$ref "other.json#\/a" is not local/],
    [{ $dynamicRef: 'https://example.com/s' }, /\$dynamicRef .* is not local/],
    [{ $schema: 'http://json-schema.org/draft-07/schema#' }, /does not compile/],
    [{ $async: true, type: 'object' }, /\$async/],
    [{ description: 'é'.repeat(8200) }, /16384 are allowed/],
    [{ type: 'string', pattern: 'a'.repeat(600) }, /longer than 512/],
    [{ type: 'string', pattern: '^(\\d+)*$' }, /nested quantifier/],
    [{ patternProperties: { '^([a-z]+)+$': {} } }, /nested quantifier/],
  ])('refuses %j', (schema, reason) => {
    expect(inputSchemaProblem(schema)).toMatch(reason);
  });

  it('counts nesting over objects and arrays alike', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 8; level++) deep = { allOf: [deep] };
    // 8 × (object + array) + the leaf: 17 levels.
    expect(inputSchemaProblem(deep)).toMatch(/deeper than 16/);
    expect(inputSchemaProblem((deep.allOf as Record<string, unknown>[])[0]!)).toBeUndefined();
  });

  it('compiles two schemas with the same $id independently', () => {
    const first = compileInputSchema({ $id: 'https://example.com/in', type: 'string' });
    const second = compileInputSchema({ $id: 'https://example.com/in', type: 'number' });
    expect([first('a'), second('a'), second(1)]).toEqual([true, false, true]);
  });
});

describe('inputErrors', () => {
  it('points at the missing property itself, escaping ~ and / as JSON pointers do', () => {
    const validate = compileInputSchema({ type: 'object', required: ['a/b~c'], properties: { n: { type: 'integer' } } });
    expect(validate({ n: 'x' })).toBe(false);
    expect(inputErrors(validate.errors)).toEqual([
      { path: '/a~1b~0c', message: "must have required property 'a/b~c'" },
      { path: '/n', message: 'must be integer' },
    ]);
  });
});

describe('input_schema on publish and patch', () => {
  it('reports the problem on the input_schema field', () => {
    const result = createServiceInputSchema.safeParse({ ...service, input_schema: { type: 12 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['input_schema'], message: expect.stringMatching(/^The JSON Schema does not compile/) });
  });

  it('lets a patch remove the schema with null', () => {
    expect(updateServiceInputSchema.parse({ input_schema: null })).toEqual({ input_schema: null });
  });
});
