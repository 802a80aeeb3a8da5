import fc from 'fast-check';
import type { JsonSchema } from './openapi.ts';
import { friendlyText, identifier } from './text.ts';

/**
 * A field-specific generator that knows more than the document says (a real
 * service id for `service_id`, a money string for `price_usd`), or undefined
 * to let the schema decide.
 */
export type Hint = (field: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;

const INT32 = 0x7fffffff;

/** Any JSON a free-form field (`input_data`, deliverable `content`) may carry: shallow, friendly text. */
export const freeJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'free-json' },
    fc.oneof(friendlyText(0, 20), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 3, depthIdentifier: 'free-json' }),
    fc.dictionary(identifier, tie('value'), { maxKeys: 3, depthIdentifier: 'free-json' }),
  ),
})).value;

export const emailAddress = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z]{1,10}$/), fc.constantFrom('com', 'org', 'io'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/**
 * Values that satisfy `schema`, for the subset the gateway's document uses:
 * object (properties, required, additionalProperties), string (lengths,
 * pattern, format, enum), integer and number (bounds), boolean, array (items,
 * counts), anyOf/oneOf, nullable and const. Anything else is free JSON.
 */
export function arbitraryFor(schema: JsonSchema, hint: Hint, field = ''): fc.Arbitrary<unknown> {
  const hinted = field ? hint(field, schema) : undefined;
  if (hinted) return hinted;
  const plain = plainArbitrary(schema, hint, field);
  return schema.nullable ? fc.option(plain, { nil: null, freq: 4 }) : plain;
}

function plainArbitrary(schema: JsonSchema, hint: Hint, field: string): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => arbitraryFor(alternative, hint, field)));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => plainArbitrary({ ...schema, type }, hint, field)));
  switch (schema.type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return integerArbitrary(schema.minimum ?? -1000, schema.maximum ?? 1_000_000);
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(arbitraryFor(schema.items ?? {}, hint, field), { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'object':
      return objectArbitrary(schema, hint);
    default:
      return freeJson;
  }
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  if (schema.format === 'uuid') return fc.uuid({ version: 7 });
  if (schema.format === 'email') return emailAddress;
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern), { maxLength: max }).filter((text) => text.length >= min && text.length <= max);
  return friendlyText(min, max);
}

/** fc.integer stops at 32 bits; wider bounds (satoshi amounts) get their extremes as constants. */
function integerArbitrary(min: number, max: number): fc.Arbitrary<number> {
  if (min >= -INT32 && max <= INT32) return fc.integer({ min, max });
  return fc.oneof(fc.integer({ min: Math.max(min, -INT32), max: Math.min(max, INT32) }), fc.constantFrom(min, max));
}

function objectArbitrary(schema: JsonSchema, hint: Hint): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const extra = schema.additionalProperties;
  if (names.length === 0 && extra !== false) {
    // A map (`input_data`): keys the schema allows, values it allows (anything when `{}`).
    const value = typeof extra === 'object' && Object.keys(extra).length > 0 ? arbitraryFor(extra, hint) : freeJson;
    return fc.dictionary(identifier, value, { maxKeys: 4 });
  }
  const model = Object.fromEntries(names.map((name) => [name, arbitraryFor(properties[name] ?? {}, hint, name)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((name) => name in model) });
}
