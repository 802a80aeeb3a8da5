/**
 * The operations of the gateway's own /openapi.json, reduced to what the
 * sweep needs to build requests. Reading the published document (not the
 * route code) means a route added tomorrow is swept without touching the test.
 */

/** The JSON-Schema subset zod emits for request parts (draft-7 plus OpenAPI's `nullable`). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  default?: unknown;
}

export interface ParamSpec {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export type SecurityScheme = 'agentKey' | 'adminKey' | 'bearerAuth';

export interface Operation {
  method: string;
  /** The documented template, e.g. `/api/jobs/{id}/start`. */
  path: string;
  pathParams: ParamSpec[];
  query: ParamSpec[];
  body: JsonSchema | undefined;
  /** Schemes that the document lists as alternatives (empty: public, or people's Bearer tokens). */
  security: SecurityScheme[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: (ParamSpec & { in: string })[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> }; security?: Record<string, unknown>[] }>>;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function operationsOf(document: unknown): Operation[] {
  const paths = (document as OpenApiDocument).paths;
  const operations: Operation[] = [];
  for (const [path, byMethod] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(byMethod)) {
      if (!METHODS.has(method)) continue;
      const parameters = operation.parameters ?? [];
      const pick = (where: string) =>
        parameters.filter((parameter) => parameter.in === where).map(({ name, required, schema }) => ({ name, required: Boolean(required), schema }));
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: pick('path'),
        query: pick('query'),
        body: operation.requestBody?.content?.['application/json']?.schema,
        security: (operation.security ?? []).flatMap((alternative) => Object.keys(alternative) as SecurityScheme[]),
      });
    }
  }
  return operations;
}

export const operationName = (operation: Operation) => `${operation.method} ${operation.path}`;

/** Methods whose requests carry a body the gateway parses. */
export const takesBody = (operation: Operation) => ['POST', 'PUT', 'PATCH'].includes(operation.method);

/**
 * An action whose body may be left out: POST with no documented body, or one
 * whose schema requires no field (the gateway makes those bodies optional;
 * the document still says `required: true`, zod's `.optional()` is lost).
 */
export const bodyIsOptional = (operation: Operation) =>
  operation.method === 'POST' && (operation.body === undefined || (operation.body.required ?? []).length === 0);
