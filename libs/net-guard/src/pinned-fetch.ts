import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Readable, Transform } from 'node:stream';
import { pinnedLookup } from './pinned-post.ts';
import { checkTarget, type ResolveAll, type TargetPolicy } from './target-guard.ts';

export interface GuardedFetchOptions {
  policy: TargetPolicy;
  /** Connect, send and the answer's headers; the body (an SSE stream may last) is bounded by the caller's signal. */
  timeoutMs: number;
  /** An answer body larger than this fails while it is read: a hostile server cannot fill the memory. */
  maxBodyBytes: number;
  resolveAll?: ResolveAll;
}

/**
 * A `fetch` for clients that talk to URLs an outsider chose (an agent's A2A
 * endpoint, the card it links to): every request is checked by the guard
 * and connects to the address the guard checked, on a fresh connection, so
 * neither a private target nor a DNS answer that changes after the check
 * (rebinding) gets through. Redirects are not followed: a 3xx is answered
 * as it is, and an SDK treats it as an error.
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const target = await checkTarget(request.url, options.policy, options.resolveAll);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    if (body) headers['content-length'] = String(body.byteLength);
    const { url } = target;
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const requestOptions: RequestOptions & { servername?: string } = {
      method: request.method,
      hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers,
      lookup: pinnedLookup(target),
      agent: false,
      signal: init?.signal ?? undefined,
    };
    if (url.protocol === 'https:' && isIP(hostname) === 0) requestOptions.servername = hostname;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = send(requestOptions, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      const timer = setTimeout(() => outgoing.destroy(new Error(`no answer from ${url.host} within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      outgoing.end(body);
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
    }
    const status = answer.statusCode ?? 502;
    // Statuses that carry no body cannot be given one (the Response constructor refuses).
    if (status === 204 || status === 304 || request.method === 'HEAD') {
      answer.resume();
      return new Response(null, { status, statusText: answer.statusMessage ?? '', headers: responseHeaders });
    }
    const capped = answer.pipe(byteCap(options.maxBodyBytes));
    answer.on('error', (error) => capped.destroy(error));
    return new Response(Readable.toWeb(capped) as ReadableStream<Uint8Array>, { status, statusText: answer.statusMessage ?? '', headers: responseHeaders });
  };
}

function byteCap(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new Error(`the answer is larger than ${maxBytes} bytes`));
      else callback(null, chunk);
    },
  });
}
