import type { EventEnvelope } from '@agentmarket/contracts';
import { decodeJson } from '@agentmarket/messaging';

/** The event a stream message carries, or undefined when its bytes are not JSON (never thrown: the SSE readers go on). */
export function envelopeOf(data: Uint8Array): EventEnvelope | undefined {
  try {
    const value = decodeJson(data);
    return typeof value === 'object' && value !== null ? (value as EventEnvelope) : undefined;
  } catch {
    return undefined;
  }
}
