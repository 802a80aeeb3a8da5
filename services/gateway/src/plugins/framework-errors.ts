import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '@agentmarket/contracts';
import { sendError } from './errors.ts';

/**
 * Failures Fastify meets before a route exists for the request (a URL that is
 * not valid percent-encoding, a path parameter over maxParamLength): answered
 * in the documented error shape, never Fastify's own.
 */
export function onFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A path parameter is too long'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The URL is not valid percent-encoded UTF-8'
        : 'The request could not be routed';
  void sendError(reply, { code: 'validation_failed', message, details: { path: message } });
}

const STATUS_LINES: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers over
 * the size limit, a malformed request line, a client too slow to send): the
 * same documented shape, written to the socket, which then closes.
 */
export function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const [status, body]: [number, ErrorBody] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, { code: 'payload_too_large', message: 'The request headers (or the URL) are too large', details: {} }]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, { code: 'validation_failed', message: 'The request was not received in time', details: {} }]
        : [400, { code: 'validation_failed', message: 'The request is not valid HTTP', details: {} }];
  const json = JSON.stringify({ error: body });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_LINES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}
