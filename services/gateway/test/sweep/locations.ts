import type { JsonSchema } from './openapi.ts';

/** Where in a body a value sits: property names and array indexes from the root. */
export type FieldPath = (string | number)[];

export interface Location {
  path: FieldPath;
  schema: JsonSchema;
}

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object';
const ALL_TYPES: JsonType[] = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'];

/** The JSON types a value may have under `schema` (all of them for `{}`). */
export function allowedTypes(schema: JsonSchema): Set<JsonType> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  const types = new Set<JsonType>();
  if (alternatives) for (const alternative of alternatives) for (const type of allowedTypes(alternative)) types.add(type);
  else if (schema.enum) for (const value of schema.enum) types.add(value === null ? 'null' : (typeof value as JsonType));
  else if (schema.type === undefined) return new Set(ALL_TYPES);
  else for (const type of [schema.type].flat() as JsonType[]) types.add(type);
  // An integer is a number and a number may be integral: treat them as one family.
  if (types.has('number') || types.has('integer')) types.add('number').add('integer');
  if (schema.nullable) types.add('null');
  return types;
}

/** Text a person writes: a string with no enum, pattern or format to reject odd characters for other reasons. */
export const isFreeText = (schema: JsonSchema) => allowedTypes(schema).has('string') && !schema.enum && !schema.pattern && !schema.format && !('const' in schema);

/** Any string at all (an enum or a uuid too): a hostile character must be refused there as well. */
export const acceptsString = (schema: JsonSchema) => allowedTypes(schema).has('string') && allowedTypes(schema).size < ALL_TYPES.length;

/** A map of anything (`input_data`, deliverable metadata): the place where deep or odd JSON is legal by type. */
export const isFreeForm = (schema: JsonSchema) =>
  schema.type === 'object' && Object.keys(schema.properties ?? {}).length === 0 && schema.additionalProperties !== false;

export const isNumeric = (schema: JsonSchema) => {
  const types = allowedTypes(schema);
  return types.has('number') && types.size < ALL_TYPES.length;
};

/** Every value position of a body schema, nested objects and the first item of arrays included. */
export function locationsOf(schema: JsonSchema | undefined, prefix: FieldPath = [], depth = 0): Location[] {
  if (!schema || depth > 3) return [];
  const found: Location[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = [...prefix, name];
    found.push({ path, schema: property }, ...locationsOf(property, path, depth + 1));
  }
  if (schema.type === 'array' && schema.items) {
    const path = [...prefix, 0];
    found.push({ path, schema: schema.items }, ...locationsOf(schema.items, path, depth + 1));
  }
  for (const alternative of schema.anyOf ?? schema.oneOf ?? []) found.push(...locationsOf(alternative, prefix, depth + 1));
  // Inside a map, a made-up key is a legal place for any value.
  if (isFreeForm(schema) && depth > 0) found.push({ path: [...prefix, 'note'], schema: {} });
  return found;
}

/** A copy of `root` with `value` at `path`, creating the objects and arrays on the way. */
export function setAt(root: unknown, path: FieldPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...FieldPath];
  if (typeof head === 'number') {
    const array = Array.isArray(root) ? [...root] : [];
    array[head] = setAt(array[head], rest, value);
    return array;
  }
  const object = root !== null && typeof root === 'object' && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  object[head] = setAt(object[head], rest, value);
  return object;
}

/** How the gateway names a body field in `details` (`body.required_inputs.0.name`). */
export const fieldName = (part: 'body' | 'querystring', path: FieldPath) => [part, ...path].join('.');
