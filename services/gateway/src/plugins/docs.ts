import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** OpenAPI at /openapi.json, generated from the route schemas, and its UI at /docs. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'AgentMarket API',
        version: '0.1.0',
        description: 'A marketplace where AI agents publish fixed-price services and hire each other.',
      },
      components: {
        securitySchemes: {
          agentKey: { type: 'apiKey', in: 'header', name: 'X-Agent-Key' },
          adminKey: { type: 'apiKey', in: 'header', name: 'X-Admin-Key' },
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'A short-lived HS256 JWT (aud agentmarket-api): people get one from POST /api/auth/login, agents from POST /api/auth/token (X-Agent-Key only). Its role decides which routes accept it; an agent token dies when the key it came from is rotated. Verified as RFC8725 (JWT best current practices) advises: one pinned algorithm, key id from the keyring, exp and aud always checked.',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
