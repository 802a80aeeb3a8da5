import fastJson from 'fast-json-stringify';
import type { FastifyBaseLogger } from 'fastify';
import { errorDocumentSchema } from '../plugins/route-docs.ts';
import { ComponentSchemas } from './component-schemas.ts';
import { responseSchemaNameOf, type DocumentedRoute } from './documented-route.ts';
import { mapRefs, type JsonSchema } from './json-schema.ts';

export type ReplySerializer = (data: unknown) => string;

const COMPONENT_PREFIX = '#/components/schemas/';
const DEFS_PREFIX = '#/$defs/';

export const stringify: ReplySerializer = (data) => JSON.stringify(data);

/**
 * Keywords that fast-json-stringify resolves by validating each reply with
 * Ajv to pick a branch: slower than JSON.stringify, and a branch with
 * `additionalProperties: false` fails on a reply with one extra field, so the
 * reply would throw instead of dropping it. A schema still holding one after
 * the nullable rewrite below is sent with JSON.stringify.
 */
const BRANCHING_KEYWORDS = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', 'dependentSchemas']);
/** Keys whose value maps names to schemas (a property called `not` is not the keyword). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs']);
/** Keys whose value is data, not a schema. */
const DATA_KEYS = new Set(['enum', 'const', 'default', 'examples', 'example', 'description', 'required']);

const isRecord = (value: unknown): value is JsonSchema => value !== null && typeof value === 'object' && !Array.isArray(value);
const isNullSchema = (value: unknown) => isRecord(value) && Object.keys(value).length === 1 && value.type === 'null';

/** Rewrites every schema object of a tree, children first, knowing which keys hold schemas and which hold data. */
function mapSchemas(schema: unknown, rewrite: (node: JsonSchema) => JsonSchema): unknown {
  if (Array.isArray(schema)) return schema.map((item) => mapSchemas(item, rewrite));
  if (!isRecord(schema)) return schema;
  const children = Object.entries(schema).map(([key, child]) => {
    if (DATA_KEYS.has(key) || (!isRecord(child) && !Array.isArray(child))) return [key, child];
    if (SCHEMA_MAPS.has(key) && isRecord(child)) {
      return [key, Object.fromEntries(Object.entries(child).map(([name, value]) => [name, mapSchemas(value, rewrite)]))];
    }
    return [key, mapSchemas(child, rewrite)];
  });
  return rewrite(Object.fromEntries(children));
}

/** The first branching keyword in a schema tree, if any. */
function branchingKeywordOf(schema: unknown): string | undefined {
  let found: string | undefined;
  mapSchemas(schema, (node) => {
    found ??= Object.keys(node).find((key) => BRANCHING_KEYWORDS.has(key));
    return node;
  });
  return found;
}

/**
 * `anyOf: [X, {type: 'null'}]` — zod's `.nullable()` — as `type: [X's type, 'null']`, which
 * fast-json-stringify serializes with a plain type check instead of validating the value.
 * A referenced X is written out in place (its own references stay references).
 */
function nullableAsTypeList(node: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  const { anyOf, ...siblings } = node;
  if (!Array.isArray(anyOf) || anyOf.length !== 2 || anyOf.filter(isNullSchema).length !== 1) return node;
  const other = anyOf.find((branch) => !isNullSchema(branch)) as JsonSchema;
  const ref = typeof other.$ref === 'string' && other.$ref.startsWith(DEFS_PREFIX) ? other.$ref.slice(DEFS_PREFIX.length) : undefined;
  const { $ref: _ref, ...besideRef } = other;
  const target = ref !== undefined && defs[ref] ? { ...defs[ref], ...besideRef } : other;
  if (typeof target.type !== 'string' || target.type === 'null' || target.$ref !== undefined) return node;
  return {
    ...target,
    ...siblings,
    type: [target.type, 'null'],
    ...(Array.isArray(target.enum) ? { enum: [...(target.enum as unknown[]), null] } : {}),
  };
}

/** The names of the definitions a schema refers to, followed through the definitions themselves. */
function reachableDefs(root: JsonSchema, defs: Record<string, JsonSchema>): string[] {
  const seen = new Set<string>();
  const visit = (schema: unknown) =>
    mapRefs(schema, (ref) => {
      const name = ref.startsWith(DEFS_PREFIX) ? ref.slice(DEFS_PREFIX.length) : undefined;
      if (name !== undefined && !seen.has(name) && defs[name]) {
        seen.add(name);
        visit(defs[name]);
      }
      return ref;
    });
  visit(root);
  return [...seen].sort();
}

/**
 * One reply schema as fast-json-stringify takes it: the document's
 * `#/components/schemas/X` references turned into the schema's own `$defs`
 * (only those it reaches), nullable unions turned into type lists.
 */
export function selfContainedSchema(embedded: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const toDefs = (schema: unknown) =>
    mapRefs(schema, (ref) => (ref.startsWith(COMPONENT_PREFIX) ? `${DEFS_PREFIX}${ref.slice(COMPONENT_PREFIX.length)}` : ref)) as JsonSchema;
  const rawDefs = Object.fromEntries(Object.entries(components).map(([name, schema]) => [name, toDefs(schema)]));
  // A definition written out in place brings its own nullable unions (a task's nullable job has a nullable
  // pending_extension): those are simplified in turn, a few levels deep at most, so that a nullable
  // reference to a recursive definition cannot unfold forever (deeper ones keep their anyOf and fall back).
  const simplify = (schema: JsonSchema, depth = 0): JsonSchema =>
    mapSchemas(schema, (node) => {
      const rewritten = nullableAsTypeList(node, rawDefs);
      return rewritten !== node && depth < 8 ? simplify(rewritten, depth + 1) : rewritten;
    }) as JsonSchema;
  const root = simplify(toDefs(embedded));
  const defs = Object.fromEntries(Object.entries(rawDefs).map(([name, schema]) => [name, simplify(schema)]));
  const reached = reachableDefs(root, defs);
  return reached.length === 0 ? root : { ...root, $defs: Object.fromEntries(reached.map((name) => [name, defs[name]!])) };
}

/**
 * Replies go out through serializers compiled once, at startup, from the
 * same JSON Schema the OpenAPI document publishes for each route and status:
 * a field the contract does not name is never sent. Not for speed: on Node 24
 * JSON.stringify is as fast or faster (a 50-job page: ~85 µs against ~67 µs);
 * the price buys the guarantee. Routes whose schema has no such form keep
 * JSON.stringify (listed once, at debug); a reply that does not fit its
 * compiled serializer is sent with JSON.stringify and a warning, never a 500.
 *
 * fast-json-stringify trusts the schema's types and coerces a value of
 * another type instead of refusing it: a number field given "12" sends 12,
 * a string field given 5 sends "5", and null in a field that is not
 * nullable becomes 0, "" or false. Accepted for every schema here, on
 * purpose and schema by schema:
 * - entities (agents, services, jobs, deliverables, tasks, messages, inbox,
 *   activity, webhooks, users, tokens, the audit): built by their services
 *   from rows typed by these same contracts, and the reply-serialization
 *   test compares real replies with JSON.stringify's; a coercion can only
 *   follow a service's own bug, and then gives the documented type;
 * - money (wallet, balances, ledger, credited, stats): amounts are
 *   documented as string or number, so neither is turned into the other;
 * - free-form parts (input_data, content, artifact_metadata, details, data,
 *   metadata records) have no type in the schema: written as JSON.stringify
 *   would, never coerced;
 * - the error shape: code and message are strings the gateway writes itself.
 * A value that cannot be coerced (a word in a number field, a missing
 * required field, a value outside a type list) throws: that reply falls back.
 */
export class ReplySerializers {
  readonly #components = new ComponentSchemas();
  /** Compiled once per distinct schema: every route that answers a Job shares one function. */
  readonly #compiled = new Map<string, ReplySerializer | { fallback: string }>();
  readonly #fallbacks = new Map<string, string>();
  readonly #logger: FastifyBaseLogger;

  constructor(logger: FastifyBaseLogger) {
    this.#logger = logger;
  }

  /** The statuses a route's replies are serialized for: its JSON 2xx, and every error (one shape). Undefined: none (an event stream). */
  static statusesOf(route: DocumentedRoute): string[] | undefined {
    if (route.contentType !== undefined) return undefined;
    const successes = Object.keys(route.responses).filter((status) => Number(status) < 300);
    return [...successes, '4xx', '5xx'];
  }

  /** The serializer of one route's replies with `status` (`200`, `201`, … or `4xx`, `5xx`). */
  compile(route: DocumentedRoute, status: string): ReplySerializer {
    const where = `${route.method} ${route.url} ${status}`;
    const zodSchema = status.endsWith('xx') ? errorDocumentSchema : route.responses[Number(status)];
    if (!zodSchema) return this.#fallBack(where, 'no documented schema');
    const embedded = this.#components.responseSchema(zodSchema, responseSchemaNameOf(route));
    const schema = selfContainedSchema(embedded, this.#components.all());
    const key = JSON.stringify(schema);
    let compiled = this.#compiled.get(key);
    if (!compiled) {
      compiled = compileSchema(schema);
      this.#compiled.set(key, compiled);
    }
    if (typeof compiled !== 'function') return this.#fallBack(where, compiled.fallback);
    const serialize = compiled;
    const logger = this.#logger;
    return (data) => {
      try {
        return serialize(data);
      } catch (error) {
        logger.warn({ err: error, route: where }, 'a reply does not fit its documented schema: sent with JSON.stringify');
        return JSON.stringify(data);
      }
    };
  }

  /** The routes that keep JSON.stringify, and why; logged once, when the gateway is ready. */
  get fallbacks(): ReadonlyMap<string, string> {
    return this.#fallbacks;
  }

  logFallbacks(): void {
    if (this.#fallbacks.size === 0) return;
    this.#logger.debug({ routes: Object.fromEntries(this.#fallbacks) }, 'replies sent with JSON.stringify: their schema has no compiled form');
  }

  #fallBack(where: string, reason: string): ReplySerializer {
    // A GET's HEAD twin asks again under the GET's name: one entry.
    this.#fallbacks.set(where, reason);
    return stringify;
  }
}

function compileSchema(schema: JsonSchema): ReplySerializer | { fallback: string } {
  const keyword = branchingKeywordOf(schema);
  if (keyword !== undefined) return { fallback: `uses ${keyword}` };
  try {
    return fastJson(schema as unknown as Parameters<typeof fastJson>[0]) as ReplySerializer;
  } catch (error) {
    return { fallback: `does not compile: ${(error as Error).message}` };
  }
}
