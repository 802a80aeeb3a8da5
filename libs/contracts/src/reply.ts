import { z } from 'zod';
import { ERROR_CODES, type ErrorBody } from './errors.ts';

/** The reply of every request/reply subject: `{ok: true, data}` or `{ok: false, error}`. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export const errorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const replyEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorBodySchema }),
]);

export function okReply<T>(data: T): Reply<T> {
  return { ok: true, data };
}

export function errorReply(error: ErrorBody): Reply<never> {
  return { ok: false, error };
}
