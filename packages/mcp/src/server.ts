import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { SluiceConfig } from '@sluice/config';
import { DEFAULT_BOUNDS, type ResultBounds } from './bounded-result.js';
import { ConnectionPool } from './connections.js';
import { registerTableResources } from './resources.js';
import type { Caller } from './sql-client.js';
import { registerTools } from './tools.js';

export interface McpSessionOptions {
  readonly config: SluiceConfig;
  readonly caller: Caller;
  /** The caller's groups when known; used only to mark masked columns in descriptions. */
  readonly groups?: readonly string[] | undefined;
  readonly connection?: string | undefined;
  readonly bounds?: ResultBounds;
}

export interface McpSession {
  readonly server: McpServer;
  /** Signs later gateway sessions in with a fresh token of the same identity. */
  setCaller(caller: Caller): void;
  close(): Promise<void>;
}

export const SERVER_INFO = { name: 'sluice', version: '0.1.0' } as const;

const INSTRUCTIONS =
  'Sluice gives you SQL access to databases under an organisation policy. Statements may be refused ' +
  '(the error says which rule and what would be allowed), held for a person to approve (the call ' +
  'waits), and personal data in results is masked. Results are capped; follow the paging note.';

/** One MCP server for one caller: its tools and resources reach the databases through the gateway. */
export function createMcpSession(options: McpSessionOptions): McpSession {
  const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
  const clientName = (): string => server.server.getClientVersion()?.name ?? 'unknown';
  const pool = new ConnectionPool(options.config, options.caller, clientName, options.connection);
  registerTools(server, { pool, bounds: options.bounds ?? DEFAULT_BOUNDS, groups: options.groups });
  registerTableResources(server, pool, options.groups);
  let closing: Promise<void> | undefined;
  return {
    server,
    setCaller: (caller) => pool.setCaller(caller),
    close() {
      // Closing the server closes its transport, whose onclose may call this again.
      closing ??= pool.close().then(() => server.close());
      return closing;
    },
  };
}
