import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminContext } from './context.js';

/**
 * Journals every refused call (401, 403) and every change that succeeded, with who made it
 * (AU-2, AC-2). Reads are not journalled; bodies never are (they may carry secrets).
 */
export function journalAdminCalls(
  app: FastifyInstance,
  { journal, log }: Pick<AdminContext, 'journal' | 'log'>,
): void {
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const refused = status === 401 || status === 403;
    const changed =
      request.method !== 'GET' &&
      request.method !== 'HEAD' &&
      status < 400 &&
      !request.routeOptions.config.journalRefusalsOnly;
    if (!refused && !changed) return;
    const path = request.url.split('?')[0] ?? request.url;
    try {
      journal.recordEvent('admin', refOf(request), {
        actor: request.actor?.name ?? null,
        via: request.actor?.via ?? null,
        roles: request.actor?.roles ?? [],
        method: request.method,
        path,
        route: request.routeOptions.url ?? null,
        status,
        reason: request.refusal,
        client_address: request.ip,
      });
    } catch (error) {
      log.error({ err: error, method: request.method, path, status }, 'cannot journal an admin call');
    }
  });
}

function refOf(request: FastifyRequest): string | null {
  const params = request.params as Record<string, unknown> | undefined;
  const ref = params?.id ?? params?.name;
  return typeof ref === 'string' ? ref : null;
}
