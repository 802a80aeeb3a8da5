import { describe, expect, it } from 'vitest';
import { AppError, encodeCursor } from '@agentmarket/contracts';
import { serviceFixture } from './service.fixture.ts';
import { decodeListCursor, encodeListCursor, positionOf, type ServiceSort } from './service-list-cursor.ts';

const id = '019a0000-0000-7000-8000-000000000001';
const validationFailure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return 'no error';
};

describe('list cursors', () => {
  it.each<[ServiceSort, string[]]>([
    ['newest', ['2026-11-21T10:00:00.123Z']],
    ['price', ['USD', '1050']],
    ['reputation', ['4.50']],
    ['relevance', ['0.0607927']],
    ['relevance', ['1e-20']],
  ])('round-trips a %s position', (sort, key) => {
    expect(decodeListCursor(sort, encodeListCursor(sort, { key, id }))).toEqual({ key, id });
  });

  it.each<[ServiceSort, ServiceSort]>([
    ['newest', 'price'],
    ['price', 'reputation'],
    ['reputation', 'relevance'],
    ['relevance', 'newest'],
  ])('refuses a %s cursor under sort=%s', (from, to) => {
    const key = { newest: ['2026-11-21T10:00:00.123Z'], price: ['SAT', '5'], reputation: ['3.00'], relevance: ['0.1'] }[from];
    expect(validationFailure(() => decodeListCursor(to, encodeListCursor(from, { key, id })))).toBe('validation_failed');
  });

  it.each([
    ['garbage', 'not-base64-json'],
    ['a bare cursor of another list', encodeCursor({ value: 3, id }, 'services')],
    ['a forged key', encodeCursor({ value: "price:USD,1 or 1=1", id }, 'services')],
    ['a forged id', encodeCursor({ value: 'reputation:4.00', id: "x' or '1" }, 'services')],
    ['a missing key', encodeCursor({ value: 'price:USD', id }, 'services')],
  ])('refuses %s', (_name, cursor) => {
    expect(validationFailure(() => decodeListCursor('price', cursor))).toBe('validation_failed');
  });

  it('takes the key of each sort from the service', () => {
    const service = serviceFixture({ currency: 'SAT', priceCents: null, priceSats: 900, agentReputation: '4.8' });
    expect(positionOf('newest', service, undefined).key).toEqual(['2026-11-21T10:00:00.123Z']);
    expect(positionOf('price', service, undefined).key).toEqual(['SAT', '900']);
    expect(positionOf('reputation', service, undefined).key).toEqual(['4.80']);
    expect(positionOf('relevance', service, 0.25)).toEqual({ key: ['0.25'], id: service.id });
  });
});
