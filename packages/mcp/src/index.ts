export { DEFAULT_BOUNDS, type ResultBounds } from './bounded-result.js';
export { type McpSession, type McpSessionOptions, createMcpSession } from './server.js';
export { type StdioOptions, serveStdio } from './stdio.js';
export { type Caller, programName } from './sql-client.js';
