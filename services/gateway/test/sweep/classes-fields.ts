import fc from 'fast-check';
import { render, type BaseParts } from './base-request.ts';
import { RawJson, deepJson, raw, toJsonText } from './json-text.ts';
import { acceptsString, allowedTypes, fieldName, isFreeForm, isFreeText, isNumeric, locationsOf, setAt, type JsonType, type Location } from './locations.ts';
import { takesBody, type JsonSchema } from './openapi.ts';
import { withExamples, type ClassKit, type InputClass, type Sample, type SampleArbitrary } from './sample.ts';
import { arbitraryFor } from './schema-arbitrary.ts';
import { HOSTILE_CHARS, hostileText, identifier, type TextClass } from './text.ts';

/** A hostile value goes either into a body field or into a query parameter. */
type Target = { part: 'body'; location: Location } | { part: 'querystring'; name: string; schema: JsonSchema };

const targetName = (target: Target) => (target.part === 'body' ? fieldName('body', target.location.path) : fieldName('querystring', [target.name]));
const topName = (target: Target) => String(target.part === 'body' ? target.location.path[0] : target.name);

function bodyTargets(kit: ClassKit, keep: (location: Location) => boolean): Target[] {
  return locationsOf(kit.operation.body)
    .filter(keep)
    .map((location) => ({ part: 'body' as const, location }));
}

function queryTargets(kit: ClassKit, keep: (schema: JsonSchema, name: string) => boolean): Target[] {
  return kit.operation.query.filter((parameter) => keep(parameter.schema, parameter.name)).map((parameter) => ({ part: 'querystring' as const, ...parameter }));
}

type Expect = Omit<Sample['expect'], 'names'> & { namesField?: boolean };

/**
 * One base request with one value replaced; the rest stays valid. With
 * `everyTarget`, one example per target is added (on a base drawn with a
 * fixed seed, so a replay sends the same bytes).
 */
function placing(kit: ClassKit, targets: Target[], values: (target: Target) => fc.Arbitrary<unknown>, describe: (target: Target, value: unknown) => string, expect: Expect, everyTarget?: (target: Target) => unknown): SampleArbitrary | undefined {
  if (targets.length === 0) return undefined;
  const build = ([target, base, value]: [Target, BaseParts, unknown]): Sample => {
    const place = (placed: unknown) =>
      target.part === 'body'
        ? { ...base, body: setAt(base.body ?? {}, target.location.path, placed) }
        : { ...base, query: [...base.query.filter(([name]) => name !== target.name), [target.name, String(placed)] as [string, string]] };
    const { namesField, ...rest } = expect;
    return {
      request: render(kit.operation, place(value)),
      note: describe(target, value),
      expect: namesField ? { ...rest, names: topName(target) } : rest,
      variant: target.part === 'body' ? 'body' : 'query',
      ...(namesField ? { twin: render(kit.operation, place('a')) } : {}),
    };
  };
  const arbitrary: SampleArbitrary = fc
    .constantFrom(...targets)
    .chain((target) => fc.tuple(fc.constant(target), kit.base, values(target)))
    .map(build);
  return everyTarget ? withExamples(arbitrary, kit, (base) => targets.map((target) => build([target, base, everyTarget(target)]))) : arbitrary;
}

const REFUSED = { hostile: true, statuses: [400], code: 'validation_failed' };

/** NUL, lone surrogates, C0 controls in every text field and query parameter: 400 naming the field (API.md). */
export function textClass(kind: TextClass): InputClass {
  return (kit) => {
    const prefer = (targets: Target[], free: Target[]) => (free.length > 0 ? free : targets);
    const body = prefer(bodyTargets(kit, (l) => acceptsString(l.schema) || Object.keys(l.schema).length === 0), bodyTargets(kit, (l) => isFreeText(l.schema) || Object.keys(l.schema).length === 0));
    // A query string is bytes: a lone surrogate has no UTF-8 form (%ED%A0%80 decodes to literal text, not a
    // surrogate), so surrogates are tried in bodies only; NUL and controls in both.
    const query =
      kind === 'surrogate'
        ? []
        : prefer(queryTargets(kit, (s, n) => acceptsString(s) && n !== 'cursor'), queryTargets(kit, (s, n) => isFreeText(s) && n !== 'cursor'));
    const bare = HOSTILE_CHARS[kind][0] ?? '';
    return placing(kit, [...body, ...query], () => hostileText(kind), (target, value) => `${kind} in ${targetName(target)}: ${JSON.stringify(value)}`, { kind, ...REFUSED, namesField: true }, () => `a${bare}b`);
  };
}

/** JSON nested 40 to 20 000 levels, preferably where the schema allows any JSON (API.md: deeper than 32 is 400). */
export const deepJsonClass: InputClass = (kit) => {
  if (!takesBody(kit.operation)) return undefined;
  const free = bodyTargets(kit, (l) => isFreeForm(l.schema) || Object.keys(l.schema).length === 0);
  const any = bodyTargets(kit, () => true);
  const root: Target = { part: 'body', location: { path: [], schema: {} } };
  const targets = free.length > 0 ? free : any.length > 0 ? any : [root];
  const nesting = fc.tuple(fc.oneof(fc.integer({ min: 40, max: 64 }), fc.constantFrom(1000, 5000)), fc.constantFrom<'array' | 'object'>('array', 'object'));
  return placing(kit, targets, () => nesting.map(([depth, shape]) => deepJson(depth, shape)), (target, value) => `${(value as RawJson).text.length} bytes of nesting at ${targetName(target)}: ${(value as RawJson).text.slice(0, 24)}…`, { kind: 'deep-json', ...REFUSED });
};

const HUGE_ARRAY_MAX_BYTES = 200_000;

/** Arrays of 5 000 to 25 000 valid items (fewer when the items are large) where the schema caps the count. */
export const hugeArrayClass: InputClass = (kit) => {
  const targets = bodyTargets(kit, (l) => l.schema.type === 'array' && l.schema.maxItems !== undefined);
  const items = (target: Target) =>
    fc.tuple(fc.integer({ min: 5000, max: 25_000 }), arbitraryFor((target.part === 'body' && target.location.schema.items) || {}, () => undefined)).map(([count, item]) => {
      const text = toJsonText(item);
      // Past the cap on items, but no bigger than HUGE_ARRAY_MAX_BYTES: megabytes would test the body limit
      // (the `oversize` class does), and a server that answers 413 and closes while the client is still
      // writing leaves it a broken pipe instead of an answer.
      const fits = Math.floor(HUGE_ARRAY_MAX_BYTES / (text.length + 1));
      const maxItems = target.part === 'body' ? (target.location.schema.maxItems ?? 0) : 0;
      return raw(`[${Array(Math.max(maxItems + 1, Math.min(count, fits))).fill(text).join(',')}]`);
    });
  return placing(kit, targets, items, (target, value) => `array of ${(value as RawJson).text.length} bytes at ${targetName(target)}`, { kind: 'huge-array', hostile: true, statuses: [400, 413] });
};

/** Numbers out of range, non-integers, 1e309 (Infinity once parsed), 2^53 + 1, NaN-like strings. */
function badNumbers(schema: JsonSchema, field: string): unknown[] {
  if (/_usd$/.test(field)) return [-1, '-1', 1.234, '1.234', 'NaN', 'Infinity', '1e309', raw('1e309'), raw('-1e309'), '', '1,00'];
  const values: unknown[] = [raw('1e309'), raw('-1e309'), 'NaN', 'Infinity', raw('9007199254740993')];
  if (schema.maximum !== undefined) values.push(schema.maximum + 1);
  if (schema.minimum !== undefined) values.push(schema.minimum - 1);
  if (schema.type === 'integer') values.push(1.5);
  return values;
}

const BAD_QUERY_NUMBERS = ['NaN', 'Infinity', '-Infinity', '1e309', '-1', '0', '101', '1.5', '', '99999999999999999999', 'abc'];

export const badNumberClass: InputClass = (kit) => {
  const targets = [...bodyTargets(kit, (l) => isNumeric(l.schema)), ...queryTargets(kit, (s) => s.type === 'integer' || s.type === 'number')];
  const values = (target: Target) =>
    target.part === 'body' ? fc.constantFrom(...badNumbers(target.location.schema, String(target.location.path.at(-1)))) : fc.constantFrom(...BAD_QUERY_NUMBERS);
  return placing(kit, targets, values, (target, value) => `${targetName(target)} = ${value instanceof RawJson ? value.text : JSON.stringify(value)}`, { kind: 'bad-number', ...REFUSED });
};

const SAMPLE_OF_TYPE: Record<JsonType, unknown> = { string: 'x', number: 7.5, integer: 7, boolean: true, null: null, array: [], object: {} };

/** A value of a type the schema does not allow, at a field or as the whole body; a query parameter sent twice. */
export const wrongTypeClass: InputClass = (kit) => {
  const typed = kit.operation.body ? bodyTargets(kit, (l) => allowedTypes(l.schema).size < 7) : [];
  const root: Target[] = kit.operation.body ? [{ part: 'body', location: { path: [], schema: kit.operation.body } }] : [];
  const wrongFor = (target: Target) => {
    const schema = target.part === 'body' ? target.location.schema : target.schema;
    const allowed = allowedTypes(schema);
    return fc.constantFrom(...(Object.keys(SAMPLE_OF_TYPE) as JsonType[]).filter((type) => !allowed.has(type)).map((type) => SAMPLE_OF_TYPE[type]));
  };
  const fields = placing(kit, [...typed, ...root], wrongFor, (target, value) => `${targetName(target)} = ${JSON.stringify(value)}`, { kind: 'wrong-type', ...REFUSED });
  // The query parser turns a repeated parameter into an array: a string field then receives a list.
  const repeated =
    kit.operation.query.length === 0
      ? undefined
      : fc.tuple(fc.constantFrom(...kit.operation.query.map((parameter) => parameter.name)), kit.base).map(([name, base]): Sample => {
          const kept = base.query.filter(([other]) => other !== name);
          const parts = { ...base, query: [...kept, [name, '1'], [name, '2']] as [string, string][] };
          return { request: render(kit.operation, parts), note: `query parameter ${name} sent twice`, expect: { kind: 'wrong-type', ...REFUSED }, variant: 'repeated-parameter' };
        });
  const options = [fields, repeated].filter((option): option is fc.Arbitrary<Sample> => option !== undefined);
  if (options.length === 0) return undefined;
  const rootTarget = root[0];
  if (!fields || !rootTarget) return fc.oneof(...options);
  // The whole body as each wrong type, every run: `null` on an action whose body is optional is the classic slip.
  const wrongRoots = (Object.keys(SAMPLE_OF_TYPE) as JsonType[]).filter((type) => type !== 'object').map((type) => SAMPLE_OF_TYPE[type]);
  return withExamples(fc.oneof(...options), kit, (base) =>
    wrongRoots.map((value) => ({ request: render(kit.operation, { ...base, body: value }), note: `body = ${JSON.stringify(value)}`, expect: { kind: 'wrong-type', ...REFUSED }, variant: 'body' })),
  );
};

const UNKNOWN_NAMES = fc.oneof(fc.constantFrom('is_admin', 'role', 'balance', 'owner_id', 'status_override'), identifier);

/** A field or parameter the schema does not know, in every strict object and query: 400 naming it. */
export const unknownFieldClass: InputClass = (kit) => {
  const body = kit.operation.body;
  const strictObjects: { path: (string | number)[]; schema: JsonSchema }[] = [];
  if (body?.additionalProperties === false) strictObjects.push({ path: [], schema: body });
  for (const location of locationsOf(body)) if (location.schema.type === 'object' && location.schema.additionalProperties === false) strictObjects.push(location);
  type Place = { part: 'body' | 'querystring'; path: (string | number)[]; schema: JsonSchema };
  const places: Place[] = strictObjects.map((place) => ({ part: 'body', ...place }));
  if (kit.operation.query.length > 0) places.push({ part: 'querystring', path: [], schema: {} });
  if (places.length === 0) return undefined;
  return fc.tuple(fc.constantFrom(...places), kit.base, UNKNOWN_NAMES).map(([place, base, name]): Sample => {
    const known = place.schema.properties ?? {};
    const extra = name in known || kit.operation.query.some((parameter) => parameter.name === name) ? `${name}_x` : name;
    const parts =
      place.part === 'body'
        ? { ...base, body: setAt(base.body ?? {}, [...place.path, extra], 'surprise') }
        : { ...base, query: [...base.query, [extra, 'surprise'] as [string, string]] };
    return {
      request: render(kit.operation, parts),
      note: `unknown ${fieldName(place.part, [...place.path, extra])}`,
      expect: { kind: 'unknown-field', ...REFUSED, names: extra },
      variant: place.part === 'body' ? 'body' : 'query',
    };
  });
};
