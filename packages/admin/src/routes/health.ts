import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../context.js';
import type { PrometheusMetrics } from '../metrics.js';
import { ERROR_REPLIES } from '../schemas.js';

const checkSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    ok: { type: 'boolean' },
    detail: { type: 'string' },
    degraded: { type: 'boolean' },
    connection: { type: 'string' },
  },
} as const;

const readySchema = {
  type: 'object',
  properties: {
    ready: { type: 'boolean' },
    degraded: { type: 'boolean' },
    checks: { type: 'array', items: checkSchema },
  },
} as const;

/** Liveness and readiness (no authentication), and Prometheus metrics (any role or the token). */
export function healthRoutes(
  app: FastifyInstance,
  { control }: AdminContext,
  metrics: PrometheusMetrics,
): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: the process answers',
        tags: ['health'],
        response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary:
          'Readiness: listeners up, journal writable, upstreams reachable (200 or 503); degraded: a shared store unreachable (200)',
        description:
          'With ?connection=NAME, only that connection’s listener and upstream are checked, with the gateway-wide checks: a balancer in front of one protocol keeps a gateway while another connection’s database is down.',
        tags: ['health'],
        querystring: { type: 'object', properties: { connection: { type: 'string', minLength: 1 } } },
        response: { 200: readySchema, 503: readySchema, 404: ERROR_REPLIES[404] },
      },
    },
    async (request, reply) => {
      const { connection } = request.query as { connection?: string };
      const all = await control.readiness();
      const named = new Set(all.flatMap((check) => (check.connection ? [check.connection] : [])));
      if (connection !== undefined && !named.has(connection)) {
        const known = [...named].join(', ') || 'none';
        return reply
          .code(404)
          .send({ error: `sluice: no connection "${connection}"; connections: ${known}` });
      }
      const checks =
        connection === undefined
          ? all
          : all.filter((check) => check.connection === undefined || check.connection === connection);
      const ready = checks.every((check) => check.ok || check.degraded === true);
      const degraded = checks.some((check) => !check.ok && check.degraded === true);
      reply.code(ready ? 200 : 503);
      return { ready, degraded, checks };
    },
  );

  app.get(
    '/metrics',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Prometheus metrics (text exposition format)',
        tags: ['health'],
        produces: ['text/plain'],
        response: { 200: { type: 'string' }, ...ERROR_REPLIES },
      },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
