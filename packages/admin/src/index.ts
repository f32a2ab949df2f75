export { type Access, permits } from './access.js';
export type {
  AccountJson,
  ApprovalEventJson,
  ApprovalJson,
  GrantInputJson,
  GrantJson,
  GrantRequestBody,
  PurgeJson,
  SessionJson,
} from './api-types.js';
export { AdminClient, AdminClientError, type AdminTarget } from './client.js';
export type { AdminContext } from './context.js';
export { type InProcessAdmin, inProcessAdmin } from './in-process.js';
export {
  AdminSocketError,
  adminSocketPath,
  localActor,
  SOCKET_PATH_LIMIT,
  socketAnswers,
  socketPathProblem,
} from './local-socket.js';
export { PrometheusMetrics } from './metrics.js';
export type { McpEndpoint } from './routes/mcp.js';
export type { Authenticate } from './security.js';
export { type AdminOptions, type AdminServer, buildAdminRoutes, startAdmin } from './server.js';
export { type FetchLike, socketFetch } from './socket-fetch.js';
export { WebhookDispatcher, type WebhookOptions, type WebhookTarget } from './webhooks.js';
