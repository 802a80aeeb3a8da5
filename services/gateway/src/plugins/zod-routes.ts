import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteShorthandOptions } from 'fastify';
import { z } from 'zod';
import { UNCOUNTED } from './rate-limit.ts';
import { documentedResponses, securityOf, type RouteAccess } from './route-docs.ts';

type HttpPart = 'body' | 'querystring' | 'params';

export interface ZodRouteDefinition<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: HTTPMethods;
  url: string;
  summary: string;
  tags: string[];
  /** Which credentials the docs show for the route (the preHandler enforces them). */
  auth?: RouteAccess;
  body?: B;
  querystring?: Q;
  params?: P;
  /** Documented responses by status; validation uses the request schemas only. */
  responses: Record<number, z.ZodType>;
  preHandler?: RouteShorthandOptions['preHandler'];
  handler(
    request: FastifyRequest & { body: z.output<B>; query: z.output<Q>; params: z.output<P> },
    reply: FastifyReply,
  ): Promise<unknown>;
}

const validators = new Map<string, z.ZodType>();
const sentBodies = new WeakMap<object, unknown>();

/**
 * The body as the client sent it, before the schema transformed it. Commands
 * that mirror an HTTP body forward this, and the owning service parses it
 * with the same schema: a transform (e.g. "10.00" → 1000 cents) runs once.
 */
export function sentBodyOf(request: FastifyRequest): unknown {
  return sentBodies.get(request);
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  // draft-7: Fastify's Ajv rejects the 2020-12 $schema that zod emits by default.
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any', override: withStatedBounds });
  return jsonSchema;
}

const UUID_LENGTH = 36;

/**
 * Bounds the schema implies, stated where tools look for them: OpenAPI's
 * integer formats (int32 when every allowed value fits), so generated
 * clients pick the right type, and a UUID's length.
 */
function withStatedBounds(context: { jsonSchema: Record<string, unknown> }): void {
  const schema = context.jsonSchema;
  if (schema.type === 'integer' && schema.format === undefined) {
    const fits32 = (value: unknown) => typeof value === 'number' && Math.abs(value) <= 2 ** 31 - 1;
    schema.format = fits32(schema.minimum) && fits32(schema.maximum) ? 'int32' : 'int64';
  }
  if (schema.type === 'string' && schema.format === 'uuid' && schema.maxLength === undefined) schema.maxLength = UUID_LENGTH;
}

/**
 * Request parts are validated by their zod schemas (unknown fields rejected,
 * every bad field named); the same schemas, as JSON Schema, document the
 * route in OpenAPI. Responses are serialised with JSON.stringify.
 */
export function installZodCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler(({ method, url, httpPart }) => {
    const schema = validators.get(`${method} ${url} ${httpPart}`);
    if (!schema) return () => true;
    return (data: unknown) => {
      const result = schema.safeParse(data ?? (httpPart === 'body' ? undefined : {}));
      return result.success ? { value: result.data } : { error: result.error };
    };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined) sentBodies.set(request, request.body);
  });
}

export function zodRoute<B extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, P extends z.ZodType = z.ZodUnknown>(
  app: FastifyInstance,
  definition: ZodRouteDefinition<B, Q, P>,
): void {
  const parts: [HttpPart, z.ZodType | undefined][] = [
    ['body', definition.body],
    ['querystring', definition.querystring],
    ['params', definition.params],
  ];
  const documented = Object.fromEntries(Object.entries(definition.responses).map(([status, zodSchema]) => [status, toJsonSchema(zodSchema, 'output')]));
  const schema: Record<string, unknown> = {
    summary: definition.summary,
    tags: definition.tags,
    response: documentedResponses(documented, {
      authenticated: definition.auth !== undefined,
      hasInput: parts.some(([, zodSchema]) => zodSchema !== undefined),
      rateLimited: !UNCOUNTED.has(definition.url),
    }),
    security: securityOf(definition.auth),
  };
  for (const [part, zodSchema] of parts) {
    if (!zodSchema) continue;
    validators.set(`${definition.method} ${definition.url} ${part}`, zodSchema);
    schema[part] = toJsonSchema(zodSchema, 'input');
  }
  app.route({
    method: definition.method,
    url: definition.url,
    schema,
    preHandler: definition.preHandler,
    handler: definition.handler as never,
  });
}
