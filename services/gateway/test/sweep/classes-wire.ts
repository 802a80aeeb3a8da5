import fc from 'fast-check';
import { render, type BaseParts } from './base-request.ts';
import { bodyIsOptional, takesBody } from './openapi.ts';
import { withExamples, type InputClass, type Sample } from './sample.ts';

/** Bodies over BODY_LIMIT_BYTES (64 KiB): 413 payload_too_large, before anything reads them. */
export const oversizeClass: InputClass = (kit) => {
  if (!takesBody(kit.operation)) return undefined;
  return fc.tuple(kit.base, fc.integer({ min: 65_537, max: 300_000 })).map(([base, size]): Sample => {
    const body = base.body !== null && typeof base.body === 'object' && !Array.isArray(base.body) ? base.body : {};
    const request = render(kit.operation, { ...base, body: { ...body, padding: 'x'.repeat(size) } });
    return { request, note: `body of ${String(request.body?.length)} bytes`, expect: { kind: 'oversize', hostile: true, statuses: [413], code: 'payload_too_large' } };
  });
};

const MALFORMED = [
  '{',
  '{"name":',
  '[',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  'nul',
  'NaN',
  '{"a":01}',
  '{"a":"\\x41"}',
  // A raw control character inside a string is not JSON (it must be escaped).
  '{"a":"\u0001"}',
  // Whitespace only: not a JSON text (RFC 8259) and not an empty body either.
  ' ',
  // Prototype poisoning: well-formed, but Fastify's parser refuses it.
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
];

/** Not JSON at all, or cut short: 400 validation_failed. */
export const malformedJsonClass: InputClass = (kit) => {
  if (!takesBody(kit.operation)) return undefined;
  const truncated = fc.tuple(kit.base, fc.double({ min: 0, max: 0.99, noNaN: true })).map(([base, fraction]) => {
    const whole = render(kit.operation, { ...base, body: base.body ?? {} });
    const text = String(whole.body);
    return { base, text: text.slice(0, Math.max(1, Math.floor(text.length * fraction))) };
  });
  const listed = fc.tuple(kit.base, fc.constantFrom(...MALFORMED)).map(([base, text]) => ({ base, text }));
  const sample = ({ base, text }: { base: BaseParts; text: string }): Sample => {
    const request = render(kit.operation, { ...base, body: undefined }, { 'content-type': 'application/json' });
    request.body = text;
    return { request, note: `body ${JSON.stringify(text.slice(0, 80))}`, expect: { kind: 'malformed-json', hostile: true, statuses: [400], code: 'validation_failed' } };
  };
  return withExamples(fc.oneof(listed, truncated).map(sample), kit, (base) => MALFORMED.map((text) => sample({ base, text })));
};

const WRONG_MEDIA = ['text/plain', 'text/html', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=sweep', 'application/octet-stream', 'application/jsonx', 'text/json', ''];

/** A well-formed JSON body under another media type (or none): 415 unsupported_media_type. */
export const contentTypeClass: InputClass = (kit) => {
  if (!takesBody(kit.operation)) return undefined;
  const sample = ([base, media]: [BaseParts, string]): Sample => {
    const request = render(kit.operation, { ...base, body: base.body ?? {} }, media ? { 'content-type': media } : {});
    if (!media) {
      // As bytes, so that fetch adds no Content-Type of its own.
      delete request.headers['content-type'];
      request.body = new TextEncoder().encode(String(request.body));
    }
    return { request, variant: media || 'none', note: media ? `Content-Type: ${media}` : 'a body without Content-Type', expect: { kind: 'content-type', hostile: true, statuses: [415], code: 'unsupported_media_type' } };
  };
  return withExamples(fc.tuple(kit.base, fc.constantFrom(...WRONG_MEDIA)).map(sample), kit, (base) => WRONG_MEDIA.map((media) => sample([base, media])));
};

/**
 * An action whose body is optional accepts an empty body sent with
 * `Content-Type: application/json` (API.md): judged against the same request
 * with `{}`. Made-up ids keep it from moving the fixture job.
 */
export const emptyBodyClass: InputClass = (kit) => {
  if (!bodyIsOptional(kit.operation)) return undefined;
  const madeUpIds = fc.record(Object.fromEntries(kit.operation.pathParams.map((parameter) => [parameter.name, fc.uuid({ version: 7 })])));
  return fc.tuple(kit.base, madeUpIds).map(([base, ids]): Sample => {
    const parts = { ...base, pathValues: ids as Record<string, string>, body: undefined, query: [] };
    const request = render(kit.operation, parts, { 'content-type': 'application/json' });
    request.body = '';
    const control = render(kit.operation, { ...parts, body: {} });
    return { request, control, note: 'empty body with Content-Type: application/json', expect: { kind: 'empty-json-body', hostile: false } };
  });
};

/** Odd but legal Idempotency-Key values on every POST: whatever the gateway does with them, never a 5xx. */
export const idempotencyKeyClass: InputClass = (kit) => {
  if (kit.operation.method !== 'POST') return undefined;
  const key = fc.oneof(fc.stringMatching(/^[\x21-\x7e]{1,300}$/), fc.integer({ min: 1000, max: 8000 }).map((length) => 'k'.repeat(length)));
  return fc.tuple(kit.base, key).map(([base, idempotencyKey]): Sample => ({
    request: render(kit.operation, base, { 'idempotency-key': idempotencyKey }),
    note: `Idempotency-Key of ${idempotencyKey.length} characters: ${JSON.stringify(idempotencyKey.slice(0, 40))}`,
    expect: { kind: 'idempotency-key', hostile: false },
  }));
};
