import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { buildOpenApiDocument } from '../openapi/build-document.ts';
import type { DocumentedRoute } from '../openapi/documented-route.ts';

/**
 * OpenAPI 3.1 at /openapi.json, built from the zod schemas of every route
 * that zodRoute registers, and its UI at /docs. The document is assembled
 * here (openapi/build-document.ts), not by @fastify/swagger, whose
 * conversion targets OpenAPI 3.0; @fastify/swagger only hands the finished
 * document to the UI.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (route) => {
    const documented = route.config?.documentedRoute;
    // Fastify adds a HEAD twin of every GET with the same config: document the route once.
    if (documented && route.method === documented.method) routes.push(documented);
  });
  // Filled once every route is registered; the UI and /openapi.json read the same object.
  const document: Record<string, unknown> = {};
  app.addHook('onReady', async () => {
    Object.assign(document, buildOpenApiDocument(routes));
  });
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // Serialised once: the document never changes while the process runs.
  let serialised: string | undefined;
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send((serialised ??= JSON.stringify(document))),
  );
}
