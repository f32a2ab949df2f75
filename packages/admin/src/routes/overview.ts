import type { FastifyInstance } from 'fastify';
import { type AdminContext, actorOf } from '../context.js';
import { overviewOf } from '../overview.js';
import { ERROR_REPLIES } from '../schemas.js';

const count = { type: 'integer' } as const;

/** `GET /api/overview` (the console's first page) and `GET /api/whoami` (what the caller may do). */
export function overviewRoutes(app: FastifyInstance, { journal, control }: AdminContext): void {
  app.get<{ Querystring: { hours?: number; today_since?: string } }>(
    '/api/overview',
    {
      config: { access: 'read' },
      schema: {
        summary:
          'Statements per hour by decision, blocked and denied today, pending approvals, top identities',
        tags: ['overview'],
        querystring: {
          type: 'object',
          properties: {
            hours: { type: 'integer', minimum: 1, maximum: 168, default: 24 },
            today_since: { type: 'string', format: 'date-time', description: 'The viewer’s midnight.' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              since: { type: 'string', format: 'date-time' },
              hours: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    hour: { type: 'string', format: 'date-time' },
                    counts: { type: 'object', additionalProperties: count },
                  },
                },
              },
              blocked_today: count,
              denied_today: count,
              pending_approvals: count,
              live_sessions: count,
              top_identities: {
                type: 'array',
                items: { type: 'object', properties: { identity: { type: 'string' }, statements: count } },
              },
            },
          },
          ...ERROR_REPLIES,
        },
      },
    },
    async (request) => {
      const { hours, today_since: todaySince } = request.query;
      return overviewOf(journal, control, hours ?? 24, todaySince ? new Date(todaySince) : undefined);
    },
  );

  app.get(
    '/api/whoami',
    {
      config: { access: 'caller' },
      schema: {
        summary: 'The caller: name, groups, how they signed in, roles',
        tags: ['overview'],
        response: {
          200: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              groups: { type: 'array', items: { type: 'string' } },
              via: { type: 'string' },
              roles: { type: 'array', items: { type: 'string' } },
            },
          },
          ...ERROR_REPLIES,
        },
      },
    },
    async (request) => {
      const { name, groups, via, roles } = actorOf(request);
      return { name, groups, via, roles };
    },
  );
}
