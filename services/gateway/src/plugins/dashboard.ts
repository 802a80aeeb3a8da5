import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

interface StaticFile {
  body: Buffer;
  gzipped: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

async function loadDirectory(dir: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  const walk = async (relative: string) => {
    for (const entry of await readdir(path.join(dir, relative), { withFileTypes: true })) {
      const name = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) await walk(name);
      else {
        const body = await readFile(path.join(dir, name));
        files.set(`/${name}`, { body, gzipped: gzipSync(body, { level: 9 }), type: TYPES[path.extname(name)] ?? 'application/octet-stream' });
      }
    }
  };
  await walk('');
  return files;
}

function send(request: FastifyRequest, reply: FastifyReply, file: StaticFile, cacheControl: string): FastifyReply {
  reply.header('content-type', file.type).header('cache-control', cacheControl).header('vary', 'accept-encoding');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(file.gzipped);
  return reply.send(file.body);
}

/**
 * Serves the built dashboard (apps/dashboard/dist) at `/`: read and gzipped
 * once at start, index.html never cached, hashed assets cached for a year.
 * Without a build, `/` says how to make one instead of failing obscurely.
 */
export async function registerDashboard(app: FastifyInstance, dir: string): Promise<void> {
  let files: Map<string, StaticFile>;
  try {
    files = await loadDirectory(dir);
  } catch {
    files = new Map();
  }
  const index = files.get('/index.html');
  const hide = { schema: { hide: true } };
  app.get('/', hide, async (request, reply) => {
    if (!index) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(`The dashboard is not built (looked in ${dir}). Run \`npm run build:dashboard\`; the API is at /api and its docs at /docs.`);
    }
    return send(request, reply, index, 'no-cache');
  });
  app.get('/assets/*', hide, async (request, reply) => {
    const file = files.get(request.url.split('?')[0] ?? '');
    if (!file) return reply.callNotFound();
    return send(request, reply, file, 'public, max-age=31536000, immutable');
  });
}
