import { eventEnvelopeSchema, type EventEnvelope } from '@agentmarket/contracts';
import { decodeJson } from './connection.ts';

const UUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const TYPE = /^[a-z]+(_[a-z]+)+$/;
const ACTOR_TYPES = new Set(['agent', 'user', 'system']);

/** The same rules as eventEnvelopeSchema, checked by hand: every consumed message passes here, zod only explains a failure. */
function looksLikeEnvelope(value: unknown): value is EventEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const envelope = value as Record<string, unknown>;
  const actor = envelope.actor as Record<string, unknown> | null | undefined;
  const data = envelope.data;
  return (
    typeof envelope.id === 'string' &&
    UUID.test(envelope.id) &&
    typeof envelope.type === 'string' &&
    TYPE.test(envelope.type) &&
    typeof envelope.occurred_at === 'string' &&
    typeof envelope.aggregate_id === 'string' &&
    Number.isInteger(envelope.aggregate_version) &&
    (envelope.aggregate_version as number) >= 0 &&
    typeof actor === 'object' &&
    actor !== null &&
    ACTOR_TYPES.has(actor.type as string) &&
    (actor.id === null || typeof actor.id === 'string') &&
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data)
  );
}

/**
 * The envelope a stream message carries. Throws when the bytes are not JSON
 * or not an envelope (the caller dead-letters the message); the error of a
 * bad shape is zod's, which says what is wrong.
 */
export function readEnvelope(bytes: Uint8Array): EventEnvelope {
  const value = decodeJson(bytes);
  if (looksLikeEnvelope(value)) return value;
  return eventEnvelopeSchema.parse(value) as EventEnvelope;
}
