import type { onSendHookHandler } from 'fastify';

/**
 * An onSend hook for the protocol endpoints (MCP, A2A): a 401 names the
 * schemes that would be accepted (RFC 9110 WWW-Authenticate), which MCP and
 * A2A clients read to know how to authenticate.
 */
export const challengeOnUnauthenticated: onSendHookHandler = (_request, reply, payload, done) => {
  if (reply.statusCode === 401) reply.header('www-authenticate', 'Bearer realm="agentmarket", X-Agent-Key realm="agentmarket"');
  done(null, payload);
};
