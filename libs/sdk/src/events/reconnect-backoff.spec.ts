import { describe, expect, it } from 'vitest';
import { isAfter, reconnectDelayMs } from './reconnect-backoff.ts';

describe('reconnect backoff', () => {
  it('doubles per failure from the minimum, up to the maximum, half of it random', () => {
    expect(reconnectDelayMs(1, 500, 15_000, () => 1)).toBe(500);
    expect(reconnectDelayMs(1, 500, 15_000, () => 0)).toBe(250);
    expect(reconnectDelayMs(3, 500, 15_000, () => 1)).toBe(2000);
    expect(reconnectDelayMs(20, 500, 15_000, () => 1)).toBe(15_000);
  });

  it('orders stream positions as numbers, beyond 2^53 too', () => {
    expect(isAfter('10', '9')).toBe(true);
    expect(isAfter('9', '10')).toBe(false);
    expect(isAfter('10', '10')).toBe(false);
    expect(isAfter('9007199254740993', '9007199254740992')).toBe(true);
    expect(isAfter('1', undefined)).toBe(true);
  });
});
