export { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
export { DemoError, type DemoErrorCode } from './errors.js';
