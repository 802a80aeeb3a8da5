import fc from 'fast-check';
import { TEST_ADMIN_KEY } from '@agentmarket/testing';
import { idKindOf, render, type BaseParts } from './base-request.ts';
import type { IdKind } from './fixtures.ts';
import { withExamples, type InputClass, type Sample } from './sample.ts';
import { friendlyText } from './text.ts';

/** Which flavour a bad id is: each flavour tends to be refused by a different layer (router, schema, service). */
function idVariant(id: string): string {
  if (id.length > 16_000) return 'over-header-limit';
  if (id.length > 100) return 'long';
  if (/%(?![0-9A-Fa-f]{2})|%(ED|C0)/i.test(id)) return 'bad-encoding';
  if (/^[0-9a-fA-F-]{36}$/.test(id)) return 'well-formed';
  return 'garbage';
}

/** A fixed, well-formed v7 id that names nothing (fixed, not random: a replay sends the same bytes). */
const NOBODY = '0190f5a4-8c1e-7b3a-9d2e-5f6a7b8c9d0e';

/** Path ids that are not ids, already URL-encoded as a client would put them on the wire. */
const BAD_IDS = [
  'not-a-uuid',
  '123',
  '%00',
  `${NOBODY}%00`,
  '01234567-89ab-cdef-0123-456789abcdef',
  'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
  // Well-formed uuids that match no row: 404, not 400, not 500.
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  NOBODY,
  NOBODY.toUpperCase(),
  '%ED%A0%80',
  '%C0%80',
  '%',
  '%zz',
  '%2F',
  '%20',
  '%E2%80%AE',
  "'%20OR%20'1'='1",
  'x'.repeat(2000),
  // Beyond Node's 16 KiB header limit: answered before Fastify sees it.
  'x'.repeat(20_000),
];

/** A path id that is garbage, encoded oddly, or a real id of another kind: 400 or 404, with the error shape. */
export const badIdClass: InputClass = (kit) => {
  if (kit.operation.pathParams.length === 0) return undefined;
  // Real ids of other kinds (an agent's id where a job's is expected): well-formed, but naming nothing here.
  const own = idKindOf(kit.operation);
  const foreign = (Object.keys(kit.fixtures.ids) as IdKind[]).filter((kind) => kind !== own).flatMap((kind) => kit.fixtures.ids[kind].slice(0, 1));
  const sample = ([base, id]: [BaseParts, string]): Sample => {
    const pathValues = Object.fromEntries(Object.keys(base.pathValues).map((name) => [name, id]));
    return {
      request: render(kit.operation, { ...base, pathValues }),
      note: `path id ${JSON.stringify(id.length > 60 ? `${id.slice(0, 20)}… (${id.length} chars)` : id)}`,
      // Past Node's header limit the URL is refused before routing: 431 payload_too_large, still in the error shape.
      expect: { kind: 'bad-id', hostile: true, statuses: id.length > 16_384 ? [431] : [400, 404] },
      variant: idVariant(id),
    };
  };
  const ids = [...BAD_IDS, ...foreign];
  return withExamples(fc.tuple(kit.base, fc.constantFrom(...ids)).map(sample), kit, (base) => ids.map((id) => sample([base, id])));
};

const noneJwt = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x","role":"admin"}').toString('base64url')}.`;

/**
 * Credentials that are missing, malformed, unknown or forged: 401 (403 where
 * the door refuses the kind). 400 is accepted too: the schemas are checked
 * before the credential, and a 400 tells nothing about the resource.
 */
export const badCredentialsClass: InputClass = (kit) => {
  if (kit.operation.security.length === 0) return undefined;
  const agentKey = kit.fixtures.agents.client.key;
  const variants: Record<string, string>[] = [
    {},
    { 'x-agent-key': 'garbage' },
    { 'x-agent-key': `agmkt_sk_${'0'.repeat(64)}` },
    { 'x-agent-key': `agmkt_sk_${'0'.repeat(63)}` },
    { 'x-agent-key': `${agentKey.slice(0, -1)}${agentKey.endsWith('0') ? '1' : '0'}` },
    { 'x-agent-key': 'k'.repeat(5000) },
    { 'x-admin-key': `${TEST_ADMIN_KEY}x` },
    { 'x-admin-key': 'wrong' },
    { authorization: 'Bearer garbage' },
    { authorization: 'Bearer a.b.c' },
    { authorization: `Bearer ${noneJwt}` },
    { authorization: 'Basic c3dlZXA6c3dlZXA=' },
  ];
  return fc.tuple(kit.base, fc.constantFrom(...variants)).map(([base, headers]): Sample => ({
    variant: Object.keys(headers)[0] ?? 'none',
    request: render(kit.operation, { ...base, credential: 'anonymous' }, headers),
    note: Object.keys(headers).length === 0 ? 'no credentials' : `credentials ${JSON.stringify(headers).slice(0, 90)}`,
    expect: { kind: 'bad-credentials', hostile: true, statuses: [400, 401, 403] },
  }));
};

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Cursors a client made up: random base64url, base64url JSON of the wrong
 * shape, the right shape with garbage inside, undecodable bytes, and real
 * cursors issued by another route. API.md: a forged or foreign cursor is 400.
 */
export const forgedCursorClass: InputClass = (kit) => {
  if (!kit.operation.query.some((parameter) => parameter.name === 'cursor')) return undefined;
  const decoded = (cursor: string) => `${cursor.slice(0, 40)} = ${JSON.stringify(Buffer.from(cursor, 'base64url').toString('utf8').slice(0, 60))}`;
  const made = (arbitrary: fc.Arbitrary<string>, what: string) => arbitrary.map((cursor) => ({ cursor, variant: what, note: `${what} cursor ${decoded(cursor)}` }));
  const wrongShape = fc.constantFrom({}, [], [1], [1, 2, 3], 'text', 5, null, true, [null, 'x'], [{}, 'x'], [['a'], 'x'], { value: 1, id: 'x' }).map(base64url);
  const rightShapeGarbage = fc
    .tuple(fc.oneof(friendlyText(0, 20), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('9999-99-99', '\u0000', '1e309', '')), fc.oneof(friendlyText(0, 40), fc.uuid({ version: 7 })))
    .map(base64url);
  const randomText = fc.stringMatching(/^[A-Za-z0-9_-]{1,120}$/);
  const undecodable = fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
  const template = (route: string) => route.replace(/\/[0-9a-f-]{36}/, '/{id}');
  const foreign = kit.fixtures.cursors.filter((issued) => template(issued.route) !== kit.operation.path);
  const cursor = fc.oneof(
    made(wrongShape, 'wrong-shape'),
    made(rightShapeGarbage, 'right-shape garbage'),
    made(randomText, 'random base64url'),
    made(undecodable, 'undecodable'),
    ...(foreign.length > 0 ? [fc.constantFrom(...foreign).map(({ route, cursor }) => ({ cursor, variant: 'foreign', note: `foreign cursor issued by GET ${template(route)}: ${decoded(cursor)}` }))] : []),
  );
  const sample = ([base, forged]: [BaseParts, { cursor: string; note: string; variant: string }]): Sample => ({
    request: render(kit.operation, { ...base, query: [...base.query.filter(([name]) => name !== 'cursor'), ['cursor', forged.cursor]] }),
    note: forged.note,
    variant: forged.variant,
    expect: { kind: 'forged-cursor', hostile: true, statuses: [400], code: 'validation_failed' },
  });
  // Every genuine cursor of every other list, every run: a foreign cursor is 400 everywhere (API.md).
  const foreignExamples = foreign.map(({ route, cursor }) => ({ cursor, variant: 'foreign', note: `foreign cursor issued by GET ${template(route)}: ${decoded(cursor)}` }));
  return withExamples(fc.tuple(kit.base, cursor).map(sample), kit, (base) => foreignExamples.map((forged) => sample([base, forged])));
};
