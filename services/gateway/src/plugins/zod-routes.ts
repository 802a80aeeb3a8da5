import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { z } from 'zod';
import { UNCOUNTED } from './rate-limit.ts';
import type { DocumentedRoute } from '../openapi/documented-route.ts';
import { ReplySerializers, stringify } from '../openapi/reply-serializers.ts';
import type { RouteAccess } from './access.ts';

type HttpPart = 'body' | 'querystring' | 'params';

export interface ZodRouteDefinition<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: HTTPMethods;
  url: string;
  summary: string;
  tags: string[];
  /** Who may call: enforced by the authentication plugin, shown in the docs as the operation's security. */
  access: RouteAccess;
  body?: B;
  querystring?: Q;
  params?: P;
  /** Documented responses by status; validation uses the request schemas only. */
  responses: Record<number, z.ZodType>;
  /** Media type of the 2xx answer when it is not JSON (the live feed's text/event-stream). */
  contentType?: string;
  handler(
    request: FastifyRequest & { body: z.output<B>; query: z.output<Q>; params: z.output<P> },
    reply: FastifyReply,
  ): Promise<unknown>;
}

const validators = new Map<string, z.ZodType>();
/** By `METHOD url`: the serializer compiler finds the route's documented responses here. */
const documentedRoutes = new Map<string, DocumentedRoute>();
const sentBodies = new WeakMap<object, unknown>();

/**
 * The body as the client sent it, before the schema transformed it. Commands
 * that mirror an HTTP body forward this, and the owning service parses it
 * with the same schema: a transform (e.g. "10.00" → 1000 cents) runs once.
 */
export function sentBodyOf(request: FastifyRequest): unknown {
  return sentBodies.get(request);
}

/**
 * Request parts are validated by their zod schemas (unknown fields rejected,
 * every bad field named); the same schemas, as JSON Schema, document the
 * route in OpenAPI (openapi/build-document.ts), and the documented response
 * schemas serialize the replies (openapi/reply-serializers.ts).
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
  // Fastify asks once per route and status, at startup; a GET's HEAD twin answers as the GET.
  const serializers = new ReplySerializers(app.log);
  app.setSerializerCompiler(({ method, url, httpStatus }) => {
    const route = documentedRoutes.get(`${method === 'HEAD' ? 'GET' : method} ${url}`);
    return route ? serializers.compile(route, String(httpStatus)) : stringify;
  });
  app.addHook('onReady', async () => serializers.logFallbacks());
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
  const documented: DocumentedRoute = {
    method: definition.method as string,
    url: definition.url,
    summary: definition.summary,
    tags: definition.tags,
    access: definition.access,
    body: definition.body,
    querystring: definition.querystring,
    params: definition.params,
    responses: definition.responses,
    contentType: definition.contentType,
    rateLimited: !UNCOUNTED.has(definition.url),
  };
  // Fastify runs the validator compiler for the parts its schema names; the zod schema is the real check,
  // and the OpenAPI document is built from the zod schemas too (plugins/docs.ts).
  const schema: Record<string, unknown> = {};
  for (const [part, zodSchema] of parts) {
    if (!zodSchema) continue;
    validators.set(`${definition.method} ${definition.url} ${part}`, zodSchema);
    schema[part] = part === 'body' ? {} : { type: 'object' };
  }
  // Placeholders, one per serialized status: the serializer compiler reads the zod schemas instead.
  const replyStatuses = ReplySerializers.statusesOf(documented);
  if (replyStatuses) schema.response = Object.fromEntries(replyStatuses.map((status) => [status, {}]));
  documentedRoutes.set(`${definition.method} ${definition.url}`, documented);
  app.route({
    method: definition.method,
    url: definition.url,
    schema,
    config: { documentedRoute: documented, access: definition.access },
    handler: definition.handler as never,
  });
}
