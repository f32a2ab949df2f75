import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { SluiceConfig } from '@sluice/config';
import { createOidcVerifier, type Identity, type OidcVerifier } from '@sluice/identity';
import { createMcpSession, type McpSession } from './server.js';

export const MCP_PATH = '/mcp';
export const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** What the admin listener needs to serve MCP: it routes requests here and knows nothing else of MCP. */
export interface McpHttpEndpoint {
  readonly path: string;
  readonly metadataPaths: readonly string[];
  /** OAuth 2.0 Protected Resource Metadata (RFC 9728), as the MCP authorization spec asks. */
  metadata(baseUrl: string): Record<string, unknown>;
  /** Answers the request; says why when it refused it (for the admin journal). */
  handle(
    request: IncomingMessage,
    response: ServerResponse,
    body: unknown,
    baseUrl: string,
  ): Promise<{ readonly refusal: string | null }>;
  close(): Promise<void>;
}

/** An MCP session nobody has used for this long is closed, with its gateway sessions. */
const IDLE_MS = 30 * 60_000;
const SWEEP_MS = 60_000;

interface LiveSession {
  readonly subject: string;
  usedAt: number;
  readonly transport: StreamableHTTPServerTransport;
  readonly session: McpSession;
}

/**
 * MCP over Streamable HTTP: each request carries an OAuth bearer JWT of a configured issuer, the
 * same token the gateway then verifies as the caller's database password. An MCP session is
 * bound to the identity that opened it.
 */
export function createMcpHttpEndpoint(config: SluiceConfig, verifier?: OidcVerifier): McpHttpEndpoint {
  const oidc =
    verifier ?? (config.identity.oidc.length > 0 ? createOidcVerifier(config.identity.oidc) : undefined);
  const sessions = new Map<string, LiveSession>();
  // Clients that vanish without DELETE would otherwise keep their gateway sessions open.
  const sweeper = setInterval(() => {
    const cutoff = Date.now() - IDLE_MS;
    for (const live of sessions.values())
      if (live.usedAt < cutoff) live.transport.close().catch(() => undefined);
  }, SWEEP_MS);
  sweeper.unref();
  const metadataUrl = (baseUrl: string): string => `${baseUrl}${METADATA_PATH}${MCP_PATH}`;

  const refuse = (
    response: ServerResponse,
    baseUrl: string,
    status: number,
    reason: string,
  ): { refusal: string } => {
    const challenge =
      status === 401
        ? `Bearer error="invalid_token", error_description="${reason.replace(/["\\]/g, "'")}", resource_metadata="${metadataUrl(baseUrl)}"`
        : undefined;
    response.writeHead(status, {
      'content-type': 'application/json',
      ...(challenge ? { 'www-authenticate': challenge } : {}),
    });
    response.end(JSON.stringify({ error: `sluice: ${reason}` }));
    return { refusal: reason };
  };

  const authenticate = async (
    request: IncomingMessage,
  ): Promise<{ identity: Identity; token: string } | string> => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return 'authentication required: send Authorization: Bearer <token>';
    if (!oidc) return 'no identity provider is configured for tokens';
    const result = await oidc.verify(match[1]);
    return result.ok ? { identity: result.identity, token: match[1] } : `token rejected: ${result.reason}`;
  };

  return {
    path: MCP_PATH,
    metadataPaths: [METADATA_PATH, `${METADATA_PATH}${MCP_PATH}`],
    metadata: (baseUrl) => ({
      resource: `${baseUrl}${MCP_PATH}`,
      authorization_servers: config.identity.oidc.map((issuer) => issuer.issuer),
      bearer_methods_supported: ['header'],
      resource_name: 'Sluice',
    }),
    async handle(request, response, body, baseUrl) {
      const auth = await authenticate(request);
      if (typeof auth === 'string') return refuse(response, baseUrl, 401, auth);
      const caller = { user: auth.identity.name, password: auth.token };
      const id = request.headers['mcp-session-id'];
      if (typeof id === 'string') {
        const live = sessions.get(id);
        if (!live) return refuse(response, baseUrl, 404, `no MCP session ${id}; initialize a new one`);
        if (live.subject !== auth.identity.name)
          return refuse(response, baseUrl, 403, 'the MCP session belongs to another identity');
        live.usedAt = Date.now();
        live.session.setCaller(caller);
        await live.transport.handleRequest(request, response, body);
        return { refusal: null };
      }
      const session = createMcpSession({ config, caller, groups: auth.identity.groups });
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => {
          sessions.set(sessionId, { subject: auth.identity.name, usedAt: Date.now(), transport, session });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
        session.close().catch(() => undefined);
      };
      await session.server.connect(transport);
      await transport.handleRequest(request, response, body);
      // A request that did not start a session (not an initialize) leaves nothing to keep.
      if (!transport.sessionId) await session.close();
      return { refusal: null };
    },
    async close() {
      clearInterval(sweeper);
      const live = [...sessions.values()];
      sessions.clear();
      await Promise.all(live.map((entry) => entry.session.close().catch(() => undefined)));
    },
  };
}
