import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import swagger from '@fastify/swagger';
import type { SluiceConfig } from '@sluice/config';
import { type Control, NO_METRICS } from '@sluice/control';
import { createOidcVerifier, type OidcVerifier } from '@sluice/identity';
import type { Journal } from '@sluice/journal';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AdminAuthenticator } from './auth.js';
import { ConsoleOidc } from './console-oidc.js';
import type { AdminContext } from './context.js';
import { journalAdminCalls } from './journal-calls.js';
import { PrometheusMetrics } from './metrics.js';
import { OPENAPI_INFO } from './openapi.js';
import { agentRoutes } from './routes/agents.js';
import { approvalStreamRoute } from './routes/approval-stream.js';
import { approvalRoutes } from './routes/approvals.js';
import { consoleRoutes } from './routes/console-files.js';
import { consoleSignInRoutes } from './routes/console-sign-in.js';
import { grantRoutes } from './routes/grants.js';
import { healthRoutes } from './routes/health.js';
import { journalRoutes } from './routes/journal.js';
import { type McpEndpoint, mcpRoutes } from './routes/mcp.js';
import { overviewRoutes } from './routes/overview.js';
import { sessionHistoryRoutes } from './routes/session-history.js';
import { sessionRoutes } from './routes/sessions.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { securityHooks } from './security.js';
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
}

export interface AdminServer {
  readonly url: string;
  readonly port: number;
  readonly metrics: PrometheusMetrics;
  close(): Promise<void>;
}

/** Starts the admin API on `admin.listen`: HTTP, or HTTPS with `admin.tls`. */
export async function startAdmin(options: AdminOptions): Promise<AdminServer> {
  const { config, control, journal, log } = options;
  const admin = config.admin;
  if (!admin) throw new Error('the configuration has no admin section');
  const oidc =
    options.oidc ?? (config.identity.oidc.length > 0 ? createOidcVerifier(config.identity.oidc) : undefined);
  const context: AdminContext = { config, control, journal, log };
  const consoleOidc = ConsoleOidc.fromConfig(config);
  const metrics = new PrometheusMetrics(control, journal);
  const webhooks = new WebhookDispatcher(config, control, log, options.webhooks);
  const streams = new Set<() => void>();
  const app = Fastify({
    logger: false,
    ...(admin.tls ? { https: { cert: readFileSync(admin.tls.cert), key: readFileSync(admin.tls.key) } } : {}),
  });
  try {
    const authenticator = new AdminAuthenticator(admin, journal, oidc);
    await build(app, context, authenticator, metrics, streams);
    consoleSignInRoutes(app, consoleOidc, authenticator);
    consoleRoutes(app, options.consoleDir);
    if (options.mcp) mcpRoutes(app, options.mcp);
    await app.listen({ host: admin.listen.host, port: admin.listen.port });
  } catch (error) {
    webhooks.close();
    metrics.close();
    await app.close();
    throw error;
  }
  control.metrics = metrics;
  const { port } = app.server.address() as AddressInfo;
  const host = admin.listen.host.includes(':') ? `[${admin.listen.host}]` : admin.listen.host;
  let closing: Promise<void> | undefined;
  return {
    url: `${admin.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    metrics,
    close() {
      closing ??= (async () => {
        if (control.metrics === metrics) control.metrics = NO_METRICS;
        for (const end of [...streams]) end();
        await options.mcp?.close();
        webhooks.close();
        await app.close();
        metrics.close();
      })();
      return closing;
    },
  };
}

async function build(
  app: FastifyInstance,
  context: AdminContext,
  authenticator: AdminAuthenticator,
  metrics: PrometheusMetrics,
  streams: Set<() => void>,
): Promise<void> {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, { openapi: OPENAPI_INFO });
  securityHooks(app, authenticator, context.log);
  journalAdminCalls(app, context);
  healthRoutes(app, context, metrics);
  approvalRoutes(app, context);
  approvalStreamRoute(app, context, streams);
  grantRoutes(app, context);
  sessionRoutes(app, context);
  sessionHistoryRoutes(app, context);
  journalRoutes(app, context);
  overviewRoutes(app, context);
  agentRoutes(app, context);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
