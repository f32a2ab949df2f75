export { type Access, permits } from './access.js';
export type {
  AccountJson,
  ApprovalEventJson,
  ApprovalJson,
  GrantInputJson,
  GrantJson,
  GrantRequestBody,
  SessionJson,
} from './api-types.js';
export { AdminClient, AdminClientError, type AdminTarget } from './client.js';
export { PrometheusMetrics } from './metrics.js';
export type { McpEndpoint } from './routes/mcp.js';
export { type AdminOptions, type AdminServer, startAdmin } from './server.js';
export { WebhookDispatcher, type WebhookOptions, type WebhookTarget } from './webhooks.js';
