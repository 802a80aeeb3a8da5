import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UUID_PATTERN, uuidv7 } from './ids.ts';
import { EVENT_TYPES, eventTypeForSubject, publicView, subjectForEvent, type EventType } from './events.ts';
import { decodeCursor, encodeCursor, idCursor } from './pagination.ts';
import { AppError } from './errors.ts';

describe('uuidv7', () => {
  it('is a version-7 RFC 9562 UUID that sorts by creation', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7());
    for (const id of ids) {
      expect(id).toMatch(UUID_PATTERN);
      expect(id[14]).toBe('7');
      expect(['8', '9', 'a', 'b']).toContain(id[19]);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encodes the millisecond timestamp in its first 48 bits', () => {
    const id = uuidv7(Date.UTC(2030, 0, 1));
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1));
  });
});

describe('event subjects', () => {
  it('round-trips every event type through its subject', () => {
    for (const type of Object.keys(EVENT_TYPES) as EventType[]) {
      expect(subjectForEvent(type)).toMatch(/^evt\.[a-z]+\.[a-z_]+$/);
      expect(eventTypeForSubject(subjectForEvent(type))).toBe(type);
    }
    expect(subjectForEvent('agent_key_rotated')).toBe('evt.agent.key_rotated');
  });

  it('hides private events from the public view', () => {
    const base = { id: uuidv7(), occurred_at: '', aggregate_id: 'a', aggregate_version: 1, actor: { type: 'system' as const, id: null }, data: {} };
    expect(publicView({ ...base, type: 'agent_key_rotated' })).toBeUndefined();
    expect(publicView({ ...base, type: 'agent_registered' })).toBeDefined();
    expect(publicView({ ...base, type: 'unknown_thing' })).toBeUndefined();
  });
});

describe('cursors', () => {
  it('decode what they encode', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.integer(), (value, id, seq) => {
        expect(decodeCursor(encodeCursor({ value, id }, 'jobs'), idCursor('jobs'))).toEqual({ value, id });
        expect(decodeCursor(encodeCursor({ value: seq, id }, 'seqs'), { list: 'seqs', value: 'integer', id: 'uuid' })).toEqual({ value: seq, id });
      }),
    );
  });

  it('reject a cursor whose value or id has the wrong shape for the list', () => {
    const id = '0192f5a4-0000-7000-8000-000000000000';
    expect(() => decodeCursor(encodeCursor({ value: 'x', id: 'not-a-uuid' }, 'jobs'), idCursor('jobs'))).toThrow(AppError);
    expect(() => decodeCursor(encodeCursor({ value: "1' or 1=1", id }, 'l'), { list: 'l', value: 'integer', id: 'uuid' })).toThrow(AppError);
    expect(() => decodeCursor(encodeCursor({ value: '1e999', id }, 'l'), { list: 'l', value: 'decimal', id: 'uuid' })).toThrow(AppError);
    expect(() => decodeCursor(encodeCursor({ value: 'a\u0000', id }, 'l'), { list: 'l', value: 'text', id: 'uuid' })).toThrow(AppError);
  });

  it('reject a well-formed cursor of another list', () => {
    const id = '0192f5a4-0000-7000-8000-000000000000';
    expect(() => decodeCursor(encodeCursor({ value: id, id }, 'agents:created_at'), idCursor('jobs'))).toThrow(AppError);
  });

  it('reject anything else as validation_failed', () => {
    for (const garbage of ['%%%', 'abc', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1,2,3]').toString('base64url')]) {
      expect(() => decodeCursor(garbage, idCursor('jobs'))).toThrow(AppError);
    }
  });
});
