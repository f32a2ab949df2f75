export { type DemoOptions, runDemo } from './demo.js';
export type { GatewayLogger } from './demo-gateway.js';
export { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
export { DemoError, type DemoErrorCode } from './errors.js';
export type { AuditFormat } from './journal-step.js';
export { PREFERRED_PORT } from './ports.js';
export type { TranscriptOutput } from './transcript.js';
