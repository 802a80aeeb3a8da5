import { credentialHeaders, learnRotatedKey, type CredentialName, type Fixtures } from './fixtures.ts';
import { percentEncode } from './text.ts';

/** One request exactly as it goes on the wire (apart from the credential, resolved when sent). */
export interface SweepRequest {
  method: string;
  /** Path with its ids filled in, already URL-encoded (hostile ids are sent verbatim). */
  path: string;
  /** Decoded query pairs; a name may repeat. Encoded when sent, lone surrogates as raw WTF-8 bytes. */
  query: [string, string][];
  credential: CredentialName;
  headers: Record<string, string>;
  /** The exact body text, or bytes when no Content-Type header may be added. */
  body?: string | Uint8Array;
}

export interface SweepResponse {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
  /** Set when no HTTP answer came back (refused connection, reset, timeout). */
  failure?: string;
}

/** A reply slower than this is reported as "no answer": the bus times out after 5 s, so 10 s means a hang. */
const ANSWER_TIMEOUT_MS = 10_000;

export function urlOf(request: SweepRequest): string {
  const search = request.query.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
  return search ? `${request.path}?${search}` : request.path;
}

export async function send(baseUrl: string, fixtures: Fixtures, request: SweepRequest): Promise<SweepResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
  try {
    const response = await fetch(`${baseUrl}${urlOf(request)}`, {
      method: request.method,
      headers: { ...credentialHeaders(fixtures, request.credential), ...request.headers },
      body: request.body,
      signal: controller.signal,
    });
    const contentType = response.headers.get('content-type') ?? '';
    // The live feed never ends by itself: its status and headers are the answer.
    if (contentType.startsWith('text/event-stream')) {
      await response.body?.cancel();
      return { status: response.status, contentType, text: '', json: undefined };
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    learnRotatedKey(fixtures, json);
    return { status: response.status, contentType, text, json };
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return { status: 0, contentType: '', text: '', json: undefined, failure: `${(error as Error).message}${cause ? ` (${cause.message})` : ''}` };
  } finally {
    clearTimeout(timer);
  }
}
