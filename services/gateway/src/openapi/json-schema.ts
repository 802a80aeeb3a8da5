import { z } from 'zod';

/** A JSON Schema (2020-12) object, as zod emits it and OpenAPI 3.1 embeds it. */
export type JsonSchema = Record<string, unknown>;

const UUID_LENGTH = 36;
const INT32_MAX = 2 ** 31 - 1;

/**
 * Bounds the schema implies, stated where tools look for them: OpenAPI's
 * integer formats (int32 when every allowed value fits), so generated
 * clients pick the right type, and a UUID's length.
 */
function withStatedBounds(context: { jsonSchema: JsonSchema }): void {
  const schema = context.jsonSchema;
  if (schema.type === 'integer' && schema.format === undefined) {
    const fits32 = (value: unknown) => typeof value === 'number' && Math.abs(value) <= INT32_MAX;
    schema.format = fits32(schema.minimum) && fits32(schema.maximum) ? 'int32' : 'int64';
  }
  if (schema.type === 'string' && schema.format === 'uuid' && schema.maxLength === undefined) schema.maxLength = UUID_LENGTH;
}

/**
 * A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect). Schemas that
 * carry an `id` (`.meta({ id })`) come out as `$defs` with `$ref`s to them,
 * and a recursive schema without one refers to its root as `#`: the callers
 * below turn both into what the document needs.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output', metadata?: typeof z.globalRegistry): JsonSchema {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    ...(metadata ? { metadata } : {}),
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    override: withStatedBounds,
  }) as JsonSchema;
  return jsonSchema;
}

/** Applies `rewrite` to every `$ref` in a schema tree (copying, never mutating). */
export function mapRefs(value: unknown, rewrite: (ref: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapRefs(item, rewrite));
  if (value === null || typeof value !== 'object') return value;
  const record = value as JsonSchema;
  if (typeof record.$ref === 'string') {
    const replaced = rewrite(record.$ref);
    const { $ref: _ref, ...siblings } = record;
    const rest = mapRefs(siblings, rewrite) as JsonSchema;
    // A replacement schema merges with any sibling keywords (zod puts `description` beside a `$ref`).
    return typeof replaced === 'string' ? { $ref: replaced, ...rest } : { ...(replaced as JsonSchema), ...rest };
  }
  return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, mapRefs(child, rewrite)]));
}

/**
 * A request part's schema with every definition written out in place: the
 * document's request parts stay self-contained (tools that build requests
 * from the document read them without resolving references). A request
 * schema may not be recursive: that would have no inline form.
 */
export function inlineRequestSchema(schema: z.ZodType, where: string): JsonSchema {
  const { $defs, ...root } = jsonSchemaOf(schema, 'input');
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  const expand = (value: unknown, seen: string[]): unknown =>
    mapRefs(value, (ref) => {
      const name = ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : undefined;
      if (name === undefined || defs[name] === undefined || seen.includes(name)) {
        throw new Error(`${where}: a request schema cannot be recursive or refer outside itself (${ref})`);
      }
      return expand(defs[name], [...seen, name]);
    });
  return expand(root, []) as JsonSchema;
}
