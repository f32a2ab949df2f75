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
  /** Answers the request; says why when it refused it, for the journal. */
  handle(
    request: IncomingMessage,
    response: ServerResponse,
    body: unknown,
    baseUrl: string,
  ): Promise<{ readonly refusal: string | null }>;
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
    // Each statement an MCP call runs is journalled by the gateway; refused calls are journalled here.
    config: { journalRefusalsOnly: true },
    handler: async (request, reply) => {
      reply.hijack();
      const { refusal } = await endpoint.handle(request.raw, reply.raw, request.body, baseUrl(request));
      request.refusal = refusal;
    },
  });
}
