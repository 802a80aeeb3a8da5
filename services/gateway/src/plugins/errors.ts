import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ZodError } from 'zod';
import { AppError, type ErrorBody, type ErrorCode } from '@agentmarket/contracts';
import { issuesToDetails } from '@agentmarket/messaging';
import { HTTP_STATUS } from '../http-status.ts';

/** Seconds a client should wait before retrying a 503 from a service that did not answer. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** The longest error message an answer carries (the OpenAPI document states it): a message that quotes input stays bounded. */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

export function sendError(reply: FastifyReply, body: ErrorBody): FastifyReply {
  const status = HTTP_STATUS[body.code];
  if (body.code === 'unavailable' && !reply.getHeader('retry-after')) reply.header('retry-after', UNAVAILABLE_RETRY_AFTER_SECONDS);
  const message = body.message.length > MAX_ERROR_MESSAGE_LENGTH ? `${body.message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…` : body.message;
  return reply.status(status).send({ error: { ...body, message } });
}

/** Fastify's own client errors (parsing, size, media type) in the contract's codes. */
function codeForClientError(status: number): ErrorCode {
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthenticated';
  return 'validation_failed';
}

/** One error handler: every failure leaves in the documented shape, never with a stack trace. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | ZodError, request, reply) => {
    if (error instanceof AppError) return sendError(reply, error.toBody());
    if (error instanceof ZodError) {
      const context = (error as ZodError & { validationContext?: string }).validationContext ?? 'body';
      const details = Object.fromEntries(
        Object.entries(issuesToDetails(error.issues)).map(([field, message]) => [
          field === '_' ? context : `${context}.${field}`,
          message,
        ]),
      );
      return sendError(reply, { code: 'validation_failed', message: 'The request is invalid', details });
    }
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const code = codeForClientError(status);
      const message =
        code === 'validation_failed' && error instanceof SyntaxError ? 'The body is not valid JSON' : error.message;
      return sendError(reply, { code, message, details: {} });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, { code: 'internal', message: 'Internal error', details: {} });
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}`, details: {} }),
  );
}
