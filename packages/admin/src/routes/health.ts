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
        tags: ['health'],
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const checks = await control.readiness();
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
