import { describe, expect, it } from 'vitest';
import { agentKey, ownerKeyOf, ownerOfKey } from './owner-key.ts';

describe('owner keys', () => {
  it('names agents and people by type and lower-case id, and reads them back', () => {
    const id = '0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B';
    expect(agentKey(id)).toBe('agent:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    expect(ownerKeyOf({ type: 'user', id })).toBe('user:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    expect(ownerOfKey('user:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toEqual({ type: 'user', id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' });
  });

  it('gives no wallet owner for the system accounts', () => {
    for (const key of ['world', 'escrow', 'platform', 'model_costs', 'robot:1']) expect(ownerOfKey(key)).toBeUndefined();
  });
});
