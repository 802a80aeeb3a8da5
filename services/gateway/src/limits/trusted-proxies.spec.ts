import { describe, expect, it } from 'vitest';
import { trustedProxies } from './trusted-proxies.ts';

const parse = (raw: string) => trustedProxies('doc').parse(raw, 'TRUST_PROXY');

describe('TRUST_PROXY', () => {
  it('takes a list of proxy addresses and CIDR ranges', () => {
    expect(parse('10.0.0.5, 10.1.0.0/16,::1,fd00::/8')).toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'fd00::/8']);
    expect(parse('0')).toEqual([]);
  });

  it('refuses a hop count, which anyone can spoof, and anything that is not an address', () => {
    for (const bad of ['1', 'true', '10.0.0.0/33', 'proxy.local', '10.0.0.1/8/1']) expect(() => parse(bad)).toThrow(/not an address or CIDR/);
  });
});
