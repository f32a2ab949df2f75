import type { SluiceConfig } from '@sluice/config';
import Fastify from 'fastify';
import type { AccountsContext } from './context.js';
import { localActor } from './local-socket.js';
import { PrometheusMetrics } from './metrics.js';
import { buildAccountRoutes, buildAdminRoutes } from './server.js';
import type { FetchLike } from './socket-fetch.js';

export interface InProcessAdmin {
  /** For AdminClient: each request is handled in this process, without a network. */
  readonly fetch: FetchLike;
  close(): Promise<void>;
}

/**
 * The API's routes on a journal with no gateway running (the CLI then works on the file), every
 * caller the local owner: the same checks, replies and journal records as through the gateway.
 * Without a configuration, only the service-account routes (they need none).
 */
export async function inProcessAdmin(
  context: AccountsContext & { readonly config: SluiceConfig | undefined },
): Promise<InProcessAdmin> {
  const metrics = new PrometheusMetrics(context.control, context.journal);
  const app = Fastify({ logger: false });
  const close = async (): Promise<void> => {
    await app.close();
    metrics.close();
  };
  try {
    const local = async () => ({ ok: true, actor: localActor() }) as const;
    const { config } = context;
    if (config) await buildAdminRoutes(app, { ...context, config }, local, metrics, new Set());
    else await buildAccountRoutes(app, context, local);
    await app.ready();
  } catch (error) {
    await close();
    throw error;
  }
  const fetch: FetchLike = async (url, init) => {
    const { pathname, search } = new URL(url);
    const reply = await app.inject({
      method: init.method === 'POST' ? 'POST' : 'GET',
      url: `${pathname}${search}`,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      ...(typeof init.body === 'string' ? { payload: init.body } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    return new Response(reply.statusCode === 204 ? null : reply.rawPayload, {
      status: reply.statusCode,
      headers,
    });
  };
  return { fetch, close };
}
