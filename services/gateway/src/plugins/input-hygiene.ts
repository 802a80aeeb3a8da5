import type { FastifyInstance } from 'fastify';
import { AppError, findTextProblem } from '@agentmarket/contracts';

/**
 * Text hygiene, once, at the edge, for every route: a body or query string
 * carrying NUL, a lone surrogate, a C0 control other than tab/LF/CR, or
 * JSON nested deeper than 32 levels is 400 `validation_failed` naming the
 * field — before any schema, service or database sees it. Services check
 * their commands again (defence in depth), but this is the answer a caller sees.
 */
export function installInputHygiene(app: FastifyInstance): void {
  // An action whose body is optional may arrive empty with `Content-Type: application/json`
  // (clients send the header by habit): that is "no body", not malformed JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Exactly empty: whitespace alone is not JSON, and is refused like any other malformed body.
    if (body === '' || (Buffer.isBuffer(body) && body.length === 0)) {
      done(null, undefined);
      return;
    }
    // Fastify validates a missing body as null, so a body of JSON `null` would pass for "no body" and
    // apply an action nobody described: every body of this API is an object, so null is refused here.
    if (body.toString().trim() === 'null') {
      done(new AppError('validation_failed', 'The body must be a JSON object, not null', { body: 'must be an object' }), undefined);
      return;
    }
    // The default parser answers through `done`; its type also allows a promise-returning parser, which it is not.
    void parseJson(request, body.toString(), done);
  });

  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['body', request.body],
      ['query', request.query],
    ] as const) {
      const problem = findTextProblem(value);
      if (problem) {
        const field = problem.path === '_' ? part : `${part}.${problem.path}`;
        throw new AppError('validation_failed', 'The request is invalid', { [field]: problem.problem });
      }
    }
  });
}
