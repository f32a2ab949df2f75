import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import swagger from '@fastify/swagger';
import { formatAddressRange, type SluiceConfig } from '@sluice/config';
import { type Control, NO_METRICS } from '@sluice/control';
import { createOidcVerifier, type OidcVerifier } from '@sluice/identity';
import type { Journal } from '@sluice/journal';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AdminAuthenticator, type AuthResult } from './auth.js';
import { ConsoleOidc } from './console-oidc.js';
import type { AccountsContext, AdminContext } from './context.js';
import { journalAdminCalls } from './journal-calls.js';
import { type LocalSocketServer, localActor, serveLocalSocket } from './local-socket.js';
import { PrometheusMetrics } from './metrics.js';
import { OPENAPI_INFO } from './openapi.js';
import { PendingRevocations } from './pending-revocations.js';
import { agentRoutes } from './routes/agents.js';
import { approvalStreamRoute } from './routes/approval-stream.js';
import { approvalRoutes } from './routes/approvals.js';
import { consoleRoutes } from './routes/console-files.js';
import { consoleSignInRoutes } from './routes/console-sign-in.js';
import { grantRoutes } from './routes/grants.js';
import { healthRoutes } from './routes/health.js';
import { journalRoutes } from './routes/journal.js';
import { journalPurgeRoute } from './routes/journal-purge.js';
import { type McpEndpoint, mcpRoutes } from './routes/mcp.js';
import { overviewRoutes } from './routes/overview.js';
import { sessionHistoryRoutes } from './routes/session-history.js';
import { sessionRoutes } from './routes/sessions.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { type Authenticate, securityHooks } from './security.js';
import { WebhookDispatcher, type WebhookOptions } from './webhooks.js';

export interface AdminOptions {
  readonly config: SluiceConfig;
  readonly control: Control;
  readonly journal: Journal;
  readonly log: Logger;
  /** Verifies people's JWTs; made from `identity.oidc` when not given. */
  readonly oidc?: OidcVerifier;
  readonly webhooks?: WebhookOptions;
  /** The console's built files (packages/console/dist), served at `/`. */
  readonly consoleDir?: string;
  /** MCP over Streamable HTTP at its path, with its protected-resource metadata. */
  readonly mcp?: McpEndpoint;
  /**
   * Also serve the API on this Unix domain socket (mode 0600), to the local owner without a
   * token. With a socket, the configuration needs no admin section (then no TCP port is opened).
   */
  readonly socketPath?: string;
}

export interface AdminServer {
  /** The TCP address of `admin.listen`; undefined when only the socket is served. */
  readonly url: string;
  readonly port: number;
  readonly socketPath: string | undefined;
  readonly metrics: PrometheusMetrics;
  close(): Promise<void>;
}

const NO_TOKEN: AuthResult = { ok: false, reason: 'authentication required' };

/**
 * Starts the admin API on `admin.listen` (HTTP, or HTTPS with `admin.tls`) and on the owner-only
 * socket `socketPath`. Without an admin section, only the socket is served (`url` is '', `port` 0).
 */
export async function startAdmin(options: AdminOptions): Promise<AdminServer> {
  const { config, control, journal, log, socketPath } = options;
  const admin = config.admin;
  if (!admin && socketPath === undefined) throw new Error('the configuration has no admin section');
  const oidc =
    options.oidc ?? (config.identity.oidc.length > 0 ? createOidcVerifier(config.identity.oidc) : undefined);
  const pendingRevocations = config.journal.store ? new PendingRevocations(journal, log) : undefined;
  const context: AdminContext = { config, control, journal, log, pendingRevocations };
  const metrics = new PrometheusMetrics(control, journal);
  const webhooks = new WebhookDispatcher(config, control, log, options.webhooks);
  const streams = new Set<() => void>();
  const app = Fastify({
    logger: false,
    // request.ip: the caller an HTTP proxy of admin.forwarded_from names, else the peer.
    ...(admin && admin.forwardedFrom.length > 0
      ? { trustProxy: admin.forwardedFrom.map(formatAddressRange) }
      : {}),
    ...(admin?.tls
      ? { https: { cert: readFileSync(admin.tls.cert), key: readFileSync(admin.tls.key) } }
      : {}),
  });
  const authenticator = admin ? new AdminAuthenticator(admin, journal, oidc) : undefined;
  let local: LocalSocketServer | undefined;
  const authenticate: Authenticate = async (request) => {
    if (local?.isLocal(request.raw)) return { ok: true, actor: localActor() };
    return authenticator ? authenticator.authenticate(request.headers.authorization) : NO_TOKEN;
  };
  try {
    await buildAdminRoutes(app, context, authenticate, metrics, streams);
    if (admin && authenticator) {
      consoleSignInRoutes(app, ConsoleOidc.fromConfig(config), authenticator);
      consoleRoutes(app, options.consoleDir);
      if (options.mcp) mcpRoutes(app, options.mcp);
      await app.listen({ host: admin.listen.host, port: admin.listen.port });
    } else await app.ready();
    // The same routes answer on the socket; its requests never pass through the TCP listener.
    if (socketPath !== undefined) local = await serveLocalSocket(socketPath, app.routing);
  } catch (error) {
    webhooks.close();
    metrics.close();
    pendingRevocations?.close();
    await app.close();
    throw error;
  }
  control.metrics = metrics;
  let url = '';
  let port = 0;
  if (admin) {
    port = (app.server.address() as AddressInfo).port;
    const host = admin.listen.host.includes(':') ? `[${admin.listen.host}]` : admin.listen.host;
    url = `${admin.tls ? 'https' : 'http'}://${host}:${port}`;
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    socketPath,
    metrics,
    close() {
      closing ??= (async () => {
        if (control.metrics === metrics) control.metrics = NO_METRICS;
        for (const end of [...streams]) end();
        await options.mcp?.close();
        webhooks.close();
        await local?.close();
        await app.close();
        metrics.close();
        pendingRevocations?.close();
      })();
      return closing;
    },
  };
}

/** Every route of the API (not the console's files nor MCP), each caller known by `authenticate`. */
export async function buildAdminRoutes(
  app: FastifyInstance,
  context: AdminContext,
  authenticate: Authenticate,
  metrics: PrometheusMetrics,
  streams: Set<() => void>,
): Promise<void> {
  await foundation(app, context, authenticate);
  healthRoutes(app, context, metrics);
  approvalRoutes(app, context);
  approvalStreamRoute(app, context, streams);
  grantRoutes(app, context);
  sessionRoutes(app, context);
  sessionHistoryRoutes(app, context);
  journalRoutes(app, context);
  journalPurgeRoute(app, context);
  overviewRoutes(app, context);
  agentRoutes(app, context);
}

/** Only the routes that change the journal: for a journal file without a configuration. */
export async function buildAccountRoutes(
  app: FastifyInstance,
  context: AccountsContext,
  authenticate: Authenticate,
): Promise<void> {
  await foundation(app, context, authenticate);
  agentRoutes(app, context);
  journalPurgeRoute(app, context);
}

async function foundation(
  app: FastifyInstance,
  context: AccountsContext,
  authenticate: Authenticate,
): Promise<void> {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, { openapi: OPENAPI_INFO });
  securityHooks(app, authenticate, context.log);
  journalAdminCalls(app, context);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
