import type { z } from 'zod';
import { requiresCredential, securityOf } from '../plugins/access.ts';
import { HEADER_COMPONENTS, documentedStatuses, errorDocumentSchema, headersOf } from '../plugins/route-docs.ts';
import { KEY_PATTERN, STATELESS } from '../plugins/idempotency.ts';
import { ComponentSchemas } from './component-schemas.ts';
import { openApiPathOf, responseSchemaNameOf, type DocumentedRoute } from './documented-route.ts';
import { DESCRIPTIONS } from './descriptions.ts';
import { ErrorResponses } from './error-responses.ts';
import { EXAMPLES } from './examples.ts';
import { inlineRequestSchema, type JsonSchema } from './json-schema.ts';
import { operationIdOf } from './operation-ids.ts';
import { DOCUMENT_INFO, SECURITY_SCHEMES, TAG_DESCRIPTIONS } from './document-info.ts';

type OpenApiObject = Record<string, unknown>;

const JSON_MEDIA = 'application/json';

/** Query or path parameters, one per property of the part's object schema. */
function parametersOf(schema: z.ZodType, where: 'query' | 'path', routeName: string): OpenApiObject[] {
  const objectSchema = inlineRequestSchema(schema, routeName);
  const properties = (objectSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((objectSchema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, propertySchema]) => ({
    name,
    in: where,
    // A path parameter is always required, whatever the schema says.
    required: where === 'path' || required.has(name),
    ...(typeof propertySchema.description === 'string' ? { description: propertySchema.description } : {}),
    schema: propertySchema,
  }));
}

/** Every POST honours an Idempotency-Key, but those that change nothing durable (plugins/idempotency.ts). */
const takesIdempotencyKey = (route: DocumentedRoute) => route.method === 'POST' && !STATELESS.has(route.url);

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same key and body within 24 h returns the first answer (status and body) with no new effect; the same key with another body is 409 `idempotency_key_reused`. Scoped to the caller and the route.',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: KEY_PATTERN.source },
};

function operationOf(route: DocumentedRoute, components: ComponentSchemas, errors: ErrorResponses): [string, OpenApiObject] {
  const path = openApiPathOf(route.url);
  const operationId = operationIdOf(route.method, path);
  const examples = EXAMPLES[operationId];
  const parameters = [
    ...(takesIdempotencyKey(route) ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
    ...(route.params ? parametersOf(route.params, 'path', operationId) : []),
    ...(route.querystring ? parametersOf(route.querystring, 'query', operationId) : []),
  ];
  const requestBody = route.body
    ? {
        // An action whose fields are all optional may be sent without a body.
        required: !route.body.safeParse(undefined).success,
        content: {
          [JSON_MEDIA]: {
            schema: inlineRequestSchema(route.body, operationId),
            ...(examples?.request !== undefined ? { example: examples.request } : {}),
          },
        },
      }
    : undefined;
  const statuses = documentedStatuses(Object.keys(route.responses).map(Number), {
    authenticated: requiresCredential(route.access),
    hasInput: Boolean(route.body ?? route.querystring ?? route.params),
    // Any POST, PUT or PATCH may be sent a body (then too large, or not JSON), even one that reads none.
    hasBody: route.body !== undefined || ['POST', 'PUT', 'PATCH'].includes(route.method),
  });
  const responses: Record<string, OpenApiObject> = {};
  for (const status of statuses) {
    if (status >= 400) {
      responses[String(status)] = { $ref: `#/components/responses/${errors.nameOf(status, route.rateLimited)}` };
      continue;
    }
    const headers = headersOf(status, route.rateLimited);
    const schema = route.responses[status]!;
    const mediaType = route.contentType ?? JSON_MEDIA;
    const example = examples?.responses?.[status];
    responses[String(status)] = {
      description: schema.description ?? (status === 201 ? 'Created' : 'OK'),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: {
        [mediaType]: {
          schema: mediaType === JSON_MEDIA ? components.responseSchema(schema, responseSchemaNameOf(route)) : { type: 'string' },
          ...(example !== undefined ? { example } : {}),
        },
      },
    };
  }
  return [
    path,
    {
      operationId,
      summary: route.summary,
      ...(DESCRIPTIONS[operationId] ? { description: DESCRIPTIONS[operationId] } : {}),
      tags: route.tags,
      security: securityOf(route.access),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    },
  ];
}

/**
 * The OpenAPI 3.1 document of the gateway, from its routes' zod schemas:
 * request parts inline, response entities as named components, every error
 * in the one error shape, rate-limit headers on every counted answer.
 */
export function buildOpenApiDocument(routes: DocumentedRoute[]): OpenApiObject {
  const components = new ComponentSchemas();
  components.responseSchema(errorDocumentSchema, 'Error');
  const errors = new ErrorResponses();
  const paths: Record<string, Record<string, OpenApiObject>> = {};
  for (const route of routes) {
    const [path, operation] = operationOf(route, components, errors);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  const usedTags = [...new Set(routes.flatMap((route) => route.tags))];
  return {
    openapi: '3.1.0',
    info: DOCUMENT_INFO,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    // Relative: the UI at /docs and clients reading /openapi.json call the gateway that served it.
    servers: [{ url: '/', description: 'the gateway that serves this document' }],
    tags: usedTags.map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) })),
    paths,
    components: {
      schemas: components.all(),
      responses: errors.all(),
      parameters: { IdempotencyKey: IDEMPOTENCY_KEY_PARAMETER },
      headers: HEADER_COMPONENTS,
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
