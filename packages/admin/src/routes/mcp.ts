import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Sluice's MCP server over Streamable HTTP, given by the caller of `startAdmin` (the admin API
 * does not depend on it). It authenticates each request itself, with the bearer JWT.
 */
export interface McpEndpoint {
  readonly path: string;
  readonly metadataPaths: readonly string[];
  metadata(baseUrl: string): Record<string, unknown>;
  handle(request: IncomingMessage, response: ServerResponse, body: unknown, baseUrl: string): Promise<void>;
  close(): Promise<void>;
}

export function mcpRoutes(app: FastifyInstance, endpoint: McpEndpoint): void {
  const baseUrl = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;
  for (const path of endpoint.metadataPaths) {
    app.get(path, { schema: { hide: true } }, async (request) => endpoint.metadata(baseUrl(request)));
  }
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: endpoint.path,
    schema: { hide: true },
    handler: async (request, reply) => {
      reply.hijack();
      await endpoint.handle(request.raw, reply.raw, request.body, baseUrl(request));
    },
  });
}
