export { DEFAULT_BOUNDS, type ResultBounds } from './bounded-result.js';
export { createMcpSession, type McpSession, type McpSessionOptions } from './server.js';
export { type Caller, programName } from './sql-client.js';
export { type StdioOptions, serveStdio } from './stdio.js';
