import { render } from './base-request.ts';
import { badCredentialsClass, badIdClass, forgedCursorClass } from './classes-access.ts';
import { badNumberClass, deepJsonClass, hugeArrayClass, textClass, unknownFieldClass, wrongTypeClass } from './classes-fields.ts';
import { contentTypeClass, emptyBodyClass, idempotencyKeyClass, malformedJsonClass, oversizeClass } from './classes-wire.ts';
import type { InputClass, Sample } from './sample.ts';

/** Requests built from the schemas as they are: the market may refuse them for its own reasons, but never with a 5xx. */
const validClass: InputClass = (kit) =>
  kit.base.map((parts): Sample => ({ request: render(kit.operation, parts), note: 'generated from the schemas', expect: { kind: 'valid', hostile: false } }));

/** Every one of these must be refused with a 4xx, and none may write a row. */
export const HOSTILE_CLASSES: Record<string, InputClass> = {
  nul: textClass('nul'),
  surrogate: textClass('surrogate'),
  c0: textClass('c0'),
  'deep-json': deepJsonClass,
  'huge-array': hugeArrayClass,
  'bad-number': badNumberClass,
  'wrong-type': wrongTypeClass,
  'unknown-field': unknownFieldClass,
  'forged-cursor': forgedCursorClass,
  oversize: oversizeClass,
  'malformed-json': malformedJsonClass,
  'content-type': contentTypeClass,
  'bad-id': badIdClass,
  'bad-credentials': badCredentialsClass,
};

/** Legal requests (some of which change the market): no 5xx, every refusal in the documented shape. */
export const VALID_CLASSES: Record<string, InputClass> = {
  valid: validClass,
  'empty-json-body': emptyBodyClass,
  'idempotency-key': idempotencyKeyClass,
};
