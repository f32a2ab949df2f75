import type { FastifyInstance } from 'fastify';
import { seesAll } from '../access.js';
import { type AdminContext, actorOf } from '../context.js';
import { approvalViewOf } from '../views.js';

/** A comment line keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/approvals/events`: Server-Sent Events, one `approval` event per change. The stream
 * opens with every pending request (action `pending`), so a watcher misses nothing between
 * listing and subscribing.
 */
export function approvalStreamRoute(
  app: FastifyInstance,
  { control }: AdminContext,
  streams: Set<() => void>,
): void {
  app.get(
    '/api/approvals/events',
    {
      config: { access: 'caller' },
      schema: {
        summary: 'Server-Sent Events of approval requests and decisions (text/event-stream)',
        tags: ['approvals'],
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const caller = actorOf(request);
      const approvalView = approvalViewOf(control);
      const all = seesAll(caller);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      // Node sends the headers with the first write: without this, a watcher with nothing pending
      // would not know the stream is open until the first heartbeat.
      raw.write(': open\n\n');
      const send = (payload: Record<string, unknown>): void => {
        raw.write(`event: approval\ndata: ${JSON.stringify(payload)}\n\n`);
      };
      for (const pending of control.approvals.list({ state: 'pending' }).reverse()) {
        if (all || pending.identity === caller.name)
          send({ action: 'pending', actor: null, request: approvalView(pending) });
      }
      // Requests other gateways hold too: any gateway's console shows and decides every request.
      const unsubscribe = control.events.onEvery((event) => {
        if (event.type !== 'approval') return;
        if (!all && event.request.identity !== caller.name) return;
        send({ action: event.action, actor: event.actor, request: approvalView(event.request) });
      });
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const end = (): void => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
        if (!raw.writableEnded) raw.end();
      };
      streams.add(end);
      request.raw.once('close', end);
    },
  );
}
