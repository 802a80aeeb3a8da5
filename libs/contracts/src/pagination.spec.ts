import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { cursorCodec, encodeCursor } from './pagination.ts';

/** A position of a list's own type, as a service would page by it. */
interface OrderPosition {
  number: number;
  orderId: string;
}

const orders = cursorCodec<OrderPosition>(
  { list: 'orders', value: 'integer', id: 'text' },
  {
    toCursor: ({ number, orderId }) => ({ value: number, id: orderId }),
    fromCursor: ({ value, id }) => (Number(value) >= 1 ? { number: Number(value), orderId: id } : undefined),
  },
  'not an order cursor',
);

const refusal = (cursor: string) => {
  try {
    orders.decode(cursor);
  } catch (error) {
    return error instanceof AppError ? { code: error.code, message: error.message, details: error.details } : error;
  }
  return 'accepted';
};

describe('cursorCodec', () => {
  it('round-trips a typed position through an opaque string', () => {
    const cursor = orders.encode({ number: 42, orderId: 'order-7' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(orders.decode(cursor)).toEqual({ number: 42, orderId: 'order-7' });
  });

  it('keeps the wire format, so cursors clients already hold still decode', () => {
    // base64url of ["orders",42,"order-7"], as encodeCursor has always written it.
    const held = 'WyJvcmRlcnMiLDQyLCJvcmRlci03Il0';
    expect(orders.encode({ number: 42, orderId: 'order-7' })).toBe(held);
    expect(encodeCursor({ value: 42, id: 'order-7' }, 'orders')).toBe(held);
    expect(orders.decode(held)).toEqual({ number: 42, orderId: 'order-7' });
  });

  it('refuses a malformed cursor, or one of another list, as the usual 400', () => {
    for (const cursor of ['garbage', '', encodeCursor({ value: 'x', id: 'y' }, 'orders'), encodeCursor({ value: 3, id: 'y' }, 'jobs')]) {
      expect(refusal(cursor)).toEqual({ code: 'validation_failed', message: 'Invalid cursor', details: { cursor: 'not a cursor returned by this list' } });
    }
  });

  it('refuses what the list could never have encoded, with its own reason', () => {
    expect(refusal(encodeCursor({ value: 0, id: 'y' }, 'orders'))).toEqual({
      code: 'validation_failed',
      message: 'Invalid cursor',
      details: { cursor: 'not an order cursor' },
    });
  });
});
