import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { forbiddenKind } from './address-policy.ts';

export interface TargetPolicy {
  /** Development: http, loopback and private addresses are fine (cloud metadata never is). */
  allowPrivateNetworks: boolean;
}

/** Where one attempt goes: the URL, and the address it was checked at, which the connection must use (no second lookup). */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type ResolveAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

const resolveWithDns: ResolveAll = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** A target the policy refuses: the reason is safe to show to the endpoint's owner. */
export class TargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefused';
  }
}

/** A resolver that hangs must not hold a request or a delivery slot for long. */
const DEFAULT_RESOLVE_TIMEOUT_MS = 5000;

async function resolveWithin(resolveAll: ResolveAll, host: string, timeoutMs: number): Promise<{ address: string; family: number }[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TargetRefused(`host ${host} did not resolve within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([resolveAll(host), timeout]);
  } catch (error) {
    if (error instanceof TargetRefused) throw error;
    throw new TargetRefused(`host ${host} does not resolve`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks an outbound URL (a webhook, an agent's A2A endpoint) against the
 * policy, when it is set and before every connection: https only (http too when private networks are allowed), and
 * EVERY address its host resolves to must be public — one private answer
 * among public ones is refused, since the connection could land on it. The
 * answer names the address to connect to, so a DNS answer that changes
 * between this check and the connection (rebinding) changes nothing.
 */
export async function checkTarget(
  rawUrl: string,
  policy: TargetPolicy,
  resolveAll: ResolveAll = resolveWithDns,
  resolveTimeoutMs = DEFAULT_RESOLVE_TIMEOUT_MS,
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new TargetRefused('is not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowPrivateNetworks)) {
    throw new TargetRefused('must use https');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else addresses = await resolveWithin(resolveAll, host, resolveTimeoutMs);
  if (addresses.length === 0) throw new TargetRefused(`host ${host} does not resolve`);
  for (const { address } of addresses) {
    const kind = forbiddenKind(address);
    if (kind === undefined || (policy.allowPrivateNetworks && kind !== 'metadata')) continue;
    throw new TargetRefused(`resolves to ${address}, a ${kind} address: only public addresses are allowed`);
  }
  const chosen = addresses[0]!;
  return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}
