import fc from 'fast-check';
import type { CredentialName, Fixtures, IdKind } from './fixtures.ts';
import type { SweepRequest } from './http.ts';
import { toJsonText } from './json-text.ts';
import type { JsonSchema, Operation } from './openapi.ts';
import { arbitraryFor, freeJson, type Hint } from './schema-arbitrary.ts';
import { friendlyText, identifier } from './text.ts';

/** A request before it is rendered: hostile classes replace one part and keep the rest valid. */
export interface BaseParts {
  pathValues: Record<string, string>;
  query: [string, string][];
  /** undefined: no body at all. */
  body: unknown;
  credential: CredentialName;
}

/** The credentials that make sense for an operation, the most useful first (fast-check shrinks towards it). */
export function credentialsFor(operation: Operation): CredentialName[] {
  const { path, security } = operation;
  if (path.startsWith('/api/agents/me') || path === '/api/auth/token') return ['self'];
  if (security.includes('agentKey') && security.includes('adminKey')) {
    if (/\/(start|deliver|fail)$/.test(path)) return ['worker', 'client', 'admin', 'buyer'];
    if (path.endsWith('/resolve')) return ['admin', 'client', 'worker'];
    // The fixture's direct message went from the client to the worker: the worker may mark it read.
    if (path.startsWith('/api/inbox/')) return ['worker', 'client', 'admin'];
    return ['client', 'worker', 'admin', 'buyer'];
  }
  if (security.includes('agentKey')) return path.startsWith('/api/services') ? ['worker', 'client'] : ['client', 'worker'];
  if (security.includes('adminKey')) return ['admin'];
  if (path === '/api/users/me') return ['buyer', 'anonymous'];
  return ['anonymous', 'buyer', 'client'];
}

/** What a path's `{id}` names, from the collection before it. */
export function idKindOf(operation: Operation): IdKind | undefined {
  // `/api/admin/agents/{id}/suspend` acts on an agent: the collection follows `admin`.
  const segments = operation.path.split('/');
  const collection = segments[2] === 'admin' ? segments[3] : segments[2];
  const kinds: Record<string, IdKind> = { agents: 'agents', services: 'services', jobs: 'jobs', inbox: 'messages', tasks: 'tasks' };
  return collection ? kinds[collection] : undefined;
}

const ID_FIELDS: Record<string, IdKind> = { service_id: 'services', agent_id: 'agents', job_id: 'jobs', parent_job_id: 'jobs', user_id: 'users' };

type Mode = 'valid' | 'hostile';

/**
 * A real id of the kind, or (valid mode, now and then) a made-up one. Hostile
 * samples use real ids only: a made-up job would be "not found" before the
 * service ever looked at the hostile part (a cursor, say).
 */
export function idArbitrary(fixtures: Fixtures, kind: IdKind | undefined, mode: Mode): fc.Arbitrary<string> {
  const real = kind ? fixtures.ids[kind] : [];
  const madeUp = fc.uuid({ version: 7 });
  if (real.length === 0) return madeUp;
  return mode === 'hostile' ? fc.constantFrom(...real) : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: madeUp });
}

/** Pairs of fields of which a create sends exactly one and an update at most one (API.md: `price_usd | price_sats`). */
const EXCLUSIVE: [string, string, (fixtures: Fixtures) => unknown][] = [
  ['price_usd', 'price_sats', () => '1.00'],
  ['amount_usd', 'amount_sats', () => '1.00'],
  ['budget_usd', 'budget_sats', () => '5.00'],
  ['agent_id', 'user_id', (fixtures) => fixtures.ids.agents[0]],
];

/** The document cannot say "one of these two" (a zod refinement): generated bodies are fixed up to honour it. */
function honourExclusivePairs(operation: Operation, fixtures: Fixtures, body: unknown): unknown {
  const properties = operation.body?.properties ?? {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const fixed: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const [first, second, fallback] of EXCLUSIVE) {
    if (!(first in properties) || !(second in properties)) continue;
    if (first in fixed && second in fixed) delete fixed[second];
    else if (!(first in fixed) && !(second in fixed) && operation.method === 'POST') fixed[first] = fallback(fixtures);
  }
  return fixed;
}

const money = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }).map((cents) => (cents / 100).toFixed(2)),
  fc.integer({ min: 0, max: 1000 }),
  fc.constantFrom('10', '2.5', 0.5),
);

/** Field knowledge the document does not carry, so that valid requests get past the first refusal. */
export function hintsFor(operation: Operation, fixtures: Fixtures, mode: Mode): Hint {
  const template = (route: string) => route.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '{id}');
  const cursors = fixtures.cursors.filter((issued) => template(issued.route) === operation.path).map((issued) => issued.cursor);
  return (field: string, schema: JsonSchema) => {
    if (schema.format === 'uuid' && ID_FIELDS[field]) return idArbitrary(fixtures, ID_FIELDS[field], mode);
    if (/_usd$/.test(field)) return money;
    if (field === 'input_data') return fc.tuple(friendlyText(1, 30), fc.dictionary(identifier, freeJson, { maxKeys: 3 })).map(([text, rest]) => ({ ...rest, text }));
    // Forged cursors are a hostile class of their own; a genuine one is only genuine for the sort and
    // filters it was issued with, so hostile samples send none (else the cursor, not the probe, is refused).
    if (field === 'cursor' && mode === 'hostile') return fc.constant(undefined);
    if (field === 'cursor' && cursors.length > 0) return fc.constantFrom(...cursors);
    if (field === 'password') return friendlyText(12, 40);
    // The largest page is where an unbounded reply shows: ask for it often.
    if (field === 'limit' && schema.maximum !== undefined) return fc.oneof(fc.integer({ min: schema.minimum ?? 1, max: schema.maximum }), fc.constant(schema.maximum));
    if (field === 'artifact_type') return fc.constantFrom('text', 'code', 'json', 'image_url', 'file');
    if (field === 'since') return fc.oneof(fc.nat().map(String), fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((date) => date.toISOString()));
    if (field === 'types') return fc.array(fc.constantFrom('job_created', 'job_started', 'agent_registered', 'service_created'), { minLength: 1, maxLength: 3 }).map((types) => types.join(','));
    return undefined;
  };
}

/** The query parameters as one object schema, so the record generator decides which optional ones appear. */
function querySchemaOf(operation: Operation): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(operation.query.map((parameter) => [parameter.name, parameter.schema])),
    required: operation.query.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    additionalProperties: false,
  };
}

/**
 * Valid parts for `operation`. `valid` mode varies the credential among the
 * sensible ones; `hostile` mode keeps the most useful one, so that the one
 * hostile part is what the gateway judges.
 */
export function baseParts(operation: Operation, fixtures: Fixtures, mode: Mode): fc.Arbitrary<BaseParts> {
  const hint = hintsFor(operation, fixtures, mode);
  const credentials = credentialsFor(operation);
  const pathValues = fc.record(Object.fromEntries(operation.pathParams.map((parameter) => [parameter.name, idArbitrary(fixtures, idKindOf(operation), mode)])));
  // Hostile samples send only the required parameters: a second optional one can be refused on its own
  // (satoshi prices with decimals, a cursor of another sort) and hide what the probe is about.
  const queryParameters = mode === 'hostile' ? operation.query.filter((parameter) => parameter.required) : operation.query;
  const query = queryParameters.length > 0 ? arbitraryFor(querySchemaOf({ ...operation, query: queryParameters }), hint) : fc.constant({});
  const body = operation.body ? arbitraryFor(operation.body, hint).map((value) => honourExclusivePairs(operation, fixtures, value)) : fc.constant(undefined);
  const credential = mode === 'valid' ? fc.constantFrom(...credentials) : fc.constant(credentials[0] ?? 'anonymous');
  return fc.record({ pathValues, query, body, credential }).map((parts) => ({
    pathValues: parts.pathValues as Record<string, string>,
    query: Object.entries(parts.query as Record<string, unknown>)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
    body: parts.body,
    credential: parts.credential,
  }));
}

/** Parts to wire format: ids into the path, the body as JSON text with its Content-Type. */
export function render(operation: Operation, parts: BaseParts, headers: Record<string, string> = {}): SweepRequest {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => parts.pathValues[name] ?? 'missing');
  const request: SweepRequest = { method: operation.method, path, query: parts.query, credential: parts.credential, headers: { ...headers } };
  if (parts.body !== undefined) {
    request.body = toJsonText(parts.body);
    request.headers['content-type'] ??= 'application/json';
  }
  return request;
}
