export { DEFAULT_BOUNDS, type ResultBounds } from './bounded-result.js';
export { createMcpHttpEndpoint, MCP_PATH, type McpHttpEndpoint, METADATA_PATH } from './http.js';
export { createMcpSession, type McpSession, type McpSessionOptions } from './server.js';
export { type Caller, programName } from './sql-client.js';
export { type StdioOptions, serveStdio } from './stdio.js';
