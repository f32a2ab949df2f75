import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { demand } from './access.js';
import type { AuthResult } from './auth.js';
import { AdminError, statusOf } from './errors.js';

/**
 * Authentication and roles for every route that declares `config.access`, and the one JSON
 * form of every error: `{ "error": "sluice: …" }`.
 */
/** Who is calling: a token, a JWT, a service account, or the local owner on the admin socket. */
export type Authenticate = (request: FastifyRequest) => Promise<AuthResult>;

export function securityHooks(app: FastifyInstance, authenticate: Authenticate, log: Logger): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('refusal', null);

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    const result = await authenticate(request);
    if (!result.ok) throw new AdminError(401, result.reason);
    request.actor = result.actor;
    demand(result.actor, access);
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, message } = statusOf(error);
    if (status === 401 || status === 403) request.refusal = message;
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="sluice"');
    if (status >= 500)
      log.error({ err: error, method: request.method, route: request.routeOptions.url }, 'admin API error');
    // Messages that reach operators elsewhere too (another gateway's answer) carry the prefix already.
    reply.code(status).send({ error: message.startsWith('sluice: ') ? message : `sluice: ${message}` });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: `sluice: no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
