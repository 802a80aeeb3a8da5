import type { FastifyInstance } from 'fastify';

/**
 * The dashboard: scripts, styles and everything else from this origin only
 * (the built app has no inline script), data: images for the inline icon,
 * no framing, no plugins, no <base> tricks, forms only to this origin.
 */
const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Swagger UI (/docs): its own files only, but it sets style attributes in its markup. */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Everything else is data (JSON, SSE, metrics): nothing in it may load or run anything. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Browser hardening on every response: no MIME sniffing (a JSON answer is
 * never run as a script), no referrer leaking ids in URLs, no framing
 * (clickjacking), and a Content-Security-Policy fitting what is served.
 * SSE streams set their headers themselves (hijacked), and get the same.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cross-origin-opener-policy', 'same-origin');
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const path = request.url.split('?')[0] ?? '';
    const csp = path === '/docs' || path.startsWith('/docs/') ? DOCS_CSP : path === '/' || path.startsWith('/assets/') ? DASHBOARD_CSP : API_CSP;
    reply.header('content-security-policy', csp);
    return payload;
  });
}

/** The same headers for a hijacked response (SSE), which Fastify's hooks no longer touch. */
export const STREAM_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': API_CSP,
};
