import type { FastifyInstance } from 'fastify';
import { type AdminContext, actorOf } from '../context.js';
import { AdminError } from '../errors.js';
import { ERROR_REPLIES, idParams, listOf, reasonBody } from '../schemas.js';
import { sessionView } from '../views.js';

export function sessionRoutes(app: FastifyInstance, { control }: AdminContext): void {
  app.get(
    '/api/sessions',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Live sessions of every connection, and of the other gateways sharing the store',
        tags: ['sessions'],
        response: { 200: listOf('Session'), ...ERROR_REPLIES },
      },
    },
    async () => control.sessions.list().map((session) => sessionView(session, control.gatewayId)),
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
    '/api/sessions/:id/kill',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'End a live session within a second, its upstream connection too',
        tags: ['sessions'],
        params: idParams,
        body: reasonBody,
        response: {
          200: { type: 'object', properties: { id: { type: 'string' }, killed: { type: 'boolean' } } },
          ...ERROR_REPLIES,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const reason = request.body?.reason?.trim() || 'no reason given';
      // The client reads `sluice: session terminated by <who>: <reason>` (FATAL 57P01 / an ERR).
      const message = `session terminated by ${actorOf(request).name}: ${reason}`;
      // Another gateway's session is ended by that gateway, which answers here.
      if (!(await control.killSession(id, message))) throw new AdminError(404, `no live session ${id}`);
      return { id, killed: true };
    },
  );
}
