import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../context.js';
import { ERROR_REPLIES, idParams } from '../schemas.js';

const anyObject = { type: 'object', additionalProperties: true } as const;

/** Past sessions from the journal, and one session's replay. */
export function sessionHistoryRoutes(app: FastifyInstance, { journal }: AdminContext): void {
  app.get<{ Querystring: { text?: string; limit?: number } }>(
    '/api/sessions/history',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Journalled sessions, newest first; `text` matches id, identity, connection or address',
        tags: ['sessions'],
        querystring: {
          type: 'object',
          properties: {
            text: { type: 'string', maxLength: 200 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
          additionalProperties: false,
        },
        response: { 200: { type: 'array', items: anyObject }, ...ERROR_REPLIES },
      },
    },
    async (request) => {
      const { text, limit } = request.query;
      return journal.sessionList({ ...(text ? { text } : {}), ...(limit ? { limit } : {}) });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/sessions/:id/replay',
    {
      config: { access: 'read' },
      schema: {
        summary:
          'A session as it happened: start, statements with decisions, approvers, durations, recorded rows, end',
        tags: ['sessions'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              session: { type: 'string' },
              started: { type: ['object', 'null'], additionalProperties: true },
              ended: { type: ['object', 'null'], additionalProperties: true },
              statements: { type: 'array', items: anyObject },
            },
          },
          ...ERROR_REPLIES,
        },
      },
    },
    async (request) => journal.sessionTimeline(request.params.id),
  );
}
