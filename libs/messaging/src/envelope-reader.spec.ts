import { describe, expect, it } from 'vitest';
import { uuidv7 } from '@agentmarket/contracts';
import { encodeJson } from './connection.ts';
import { readEnvelope } from './envelope-reader.ts';

const envelope = () => ({
  id: uuidv7(),
  type: 'job_started',
  occurred_at: new Date().toISOString(),
  aggregate_id: uuidv7(),
  aggregate_version: 2,
  actor: { type: 'agent', id: uuidv7() },
  data: { job_id: 'x' },
});

describe('readEnvelope', () => {
  it('reads a well-formed envelope', () => {
    const sent = envelope();
    expect(readEnvelope(encodeJson(sent))).toEqual(sent);
  });

  it('refuses what eventEnvelopeSchema refuses', () => {
    for (const bad of [
      { ...envelope(), id: 'nope' },
      { ...envelope(), type: 'Started' },
      { ...envelope(), aggregate_version: -1 },
      { ...envelope(), actor: { type: 'robot', id: null } },
      { ...envelope(), data: [] },
      { ...envelope(), data: undefined },
    ]) {
      expect(() => readEnvelope(encodeJson(bad))).toThrow();
    }
    expect(() => readEnvelope(new TextEncoder().encode('not json'))).toThrow();
  });
});
