import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { CheckedTarget } from './target-guard.ts';

/** How one attempt ended: the receiver's status code, or why there was none (`refused`: the SSRF guard stopped it before any connection). */
export type PostOutcome = { statusCode: number } | { error: string; refused?: boolean };

/** A lookup that answers the checked address whatever is asked: the socket can only go where the guard looked. */
export function pinnedLookup(target: CheckedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/**
 * POSTs `body` to the checked target within `timeoutMs` (connect, send and
 * the answer's headers), connecting to the checked address only. The Host
 * header and TLS name stay the URL's host, so certificates are verified as
 * usual. Redirects are not followed: a 3xx is just not a 2xx. The answer's
 * body is not read beyond what the socket already holds.
 */
export function postPinned(
  target: CheckedTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<PostOutcome> {
  const { url } = target;
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const options: RequestOptions & { servername?: string } = {
    method: 'POST',
    hostname,
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers: { 'content-type': 'application/json', ...headers, 'content-length': String(Buffer.byteLength(body)) },
    lookup: pinnedLookup(target),
    // A fresh connection each time: a pooled socket could have been opened to an address checked earlier.
    agent: false,
    signal,
  };
  if (url.protocol === 'https:' && isIP(hostname) === 0) options.servername = hostname;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = send(options, (response) => {
      finish({ statusCode: response.statusCode ?? 0 });
      response.resume();
      response.destroy();
    });
    const timer = setTimeout(() => {
      finish({ error: `no answer within ${timeoutMs / 1000} s` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => finish({ error: error.message || String(error) }));
    request.end(body);
  });
}
