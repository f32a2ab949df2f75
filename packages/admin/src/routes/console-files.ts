import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Everything comes from this origin: the console loads nothing from a CDN and runs no inline script. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The console's built files at `/`; any other path outside `/api` gets `index.html`, so a reload
 * of `/sessions` shows that page. Without a built console, `/` says how to build it.
 */
export function consoleRoutes(app: FastifyInstance, dir: string | undefined): void {
  const index = dir ? join(dir, 'index.html') : undefined;
  const serveIndex = (reply: FastifyReply) => {
    if (!index || !existsSync(index)) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('sluice: the web console is not built into this installation (pnpm build builds it)');
    }
    return send(reply, index, 'no-cache');
  };
  app.get('/', { schema: { hide: true } }, (_request, reply) => serveIndex(reply));
  app.get<{ Params: { '*': string } }>('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.params['*'];
    if (path.startsWith('api/')) {
      return reply.code(404).send({ error: `sluice: no route ${request.method} /${path.split('?')[0]}` });
    }
    const file = dir ? inside(dir, path) : undefined;
    if (file)
      return send(
        reply,
        file,
        path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    if (extname(path) !== '') return reply.code(404).send({ error: `sluice: no file /${path}` });
    return serveIndex(reply);
  });
}

function inside(dir: string, path: string): string | undefined {
  const file = normalize(join(dir, path));
  if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
  if (!existsSync(file) || !statSync(file).isFile()) return undefined;
  return file;
}

function send(reply: FastifyReply, file: string, cache: string): FastifyReply {
  return reply
    .header('cache-control', cache)
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .type(TYPES[extname(file)] ?? 'application/octet-stream')
    .send(readFileSync(file));
}
