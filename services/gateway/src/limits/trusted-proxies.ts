import { isIP } from 'node:net';
import type { Setting } from '@agentmarket/config';

/**
 * TRUST_PROXY: the addresses (or CIDR ranges) of the proxies whose
 * X-Forwarded-For the gateway believes, comma-separated; empty = none. A hop
 * count ("1") is refused: it trusts whatever the nearest peer says, and any
 * client can be that peer.
 */
export function trustedProxies(doc: string): Setting<string[]> {
  return {
    doc,
    default: '',
    parse: (raw) => {
      const entries = raw
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
      if (entries.length === 1 && entries[0] === '0') return [];
      for (const entry of entries) {
        const [address, bits, ...rest] = entry.split('/');
        const family = isIP(address ?? '');
        const maxBits = family === 6 ? 128 : 32;
        const badBits = bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
        if (family === 0 || badBits || rest.length > 0) {
          throw new Error(`"${entry}" is not an address or CIDR range (list the proxies' addresses, e.g. 10.0.0.5,10.1.0.0/16; a hop count is not accepted)`);
        }
      }
      return entries;
    },
  };
}
