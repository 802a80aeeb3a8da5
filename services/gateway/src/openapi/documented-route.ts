import type { z } from 'zod';
import type { RouteAccess } from '../plugins/access.ts';
import { operationIdOf } from './operation-ids.ts';

/** What the OpenAPI document needs to know of one route; zodRoute hands it over in the route's config. */
export interface DocumentedRoute {
  method: string;
  /** Fastify's form, e.g. `/api/jobs/:id/start`. */
  url: string;
  summary: string;
  tags: string[];
  access: RouteAccess;
  body: z.ZodType | undefined;
  querystring: z.ZodType | undefined;
  params: z.ZodType | undefined;
  /** By status; 4xx and 5xx entries only say that the route may answer them (always in the error shape). */
  responses: Record<number, z.ZodType>;
  /** Media type of the 2xx answers (default application/json). */
  contentType: string | undefined;
  /** Counted by the rate limiter, hence carrying its headers. */
  rateLimited: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by zodRoute; plugins/docs.ts builds the OpenAPI document from these. */
    documentedRoute?: DocumentedRoute;
  }
}

/** `/api/jobs/:id/start` → `/api/jobs/{id}/start`. */
export const openApiPathOf = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The component name of a route's response schema when it needs one of its own (a recursive schema
 * without an id): the document and the reply serializers name it alike, so both read the same schema.
 */
export function responseSchemaNameOf(route: Pick<DocumentedRoute, 'method' | 'url'>): string {
  const operationId = operationIdOf(route.method, openApiPathOf(route.url));
  return `${operationId[0]!.toUpperCase()}${operationId.slice(1)}Response`;
}
