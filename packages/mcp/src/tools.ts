import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ConnectionConfig } from '@sluice/config';
import { z } from 'zod';
import { bound, type ResultBounds, textTable } from './bounded-result.js';
import { describeTable, listTables, MaskingView, parseTableName } from './catalog.js';
import type { ConnectionPool } from './connections.js';
import { waitingReporter } from './progress.js';
import type { SqlClient } from './sql-client.js';
import { errorResult, failureResult, sessionLost, textResult } from './tool-results.js';

export interface ToolContext {
  readonly pool: ConnectionPool;
  readonly bounds: ResultBounds;
  /** The caller's groups when known (for marking masked columns). */
  readonly groups: readonly string[] | undefined;
}

const connectionArgument = z
  .string()
  .optional()
  .describe('connection name from list_connections; may be left out when there is only one');

/** Registers list_connections, list_tables, describe_table, query and explain. */
export function registerTools(server: McpServer, context: ToolContext): void {
  const { pool } = context;
  server.registerTool(
    'list_connections',
    {
      description: 'The database connections you may use through Sluice.',
      annotations: { readOnlyHint: true },
    },
    async () => {
      const connections = pool.available.map((connection) => ({
        name: connection.name,
        protocol: connection.protocol,
        database: connection.upstream.database,
        policy: connection.policy ?? null,
      }));
      const lines = connections.map((c) => `${c.name}: ${c.protocol} database ${c.database}`);
      return textResult(lines.join('\n') || 'no connections', { connections });
    },
  );

  server.registerTool(
    'list_tables',
    {
      description: 'Tables and views of a connection.',
      inputSchema: { connection: connectionArgument },
      annotations: { readOnlyHint: true },
    },
    async ({ connection }) =>
      withClient(pool, connection, async (client) => {
        const tables = await listTables(client);
        const text = tables.map((table) => `${qualified(table)} (${table.type.toLowerCase()})`).join('\n');
        return textResult(text || 'no tables', { tables });
      }),
  );

  server.registerTool(
    'describe_table',
    {
      description:
        'Columns of a table: name, type, nullability, and which columns Sluice masks in your results (and how).',
      inputSchema: {
        connection: connectionArgument,
        table: z.string().describe('table name, optionally schema.table'),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ connection, table }) =>
      withClient(pool, connection, async (client, config) => {
        const name = parseTableName(table, client.dialect);
        if (!name) return errorResult(`"${table}" is not a table name; use table or schema.table`);
        const view = new MaskingView(pool.config.policies.get(config.policy ?? ''), context.groups);
        const columns = await describeTable(client, name, view);
        if (columns.length === 0) return errorResult(`no table ${table}; call list_tables to see the tables`);
        const text = columns
          .map(
            (c) =>
              `${c.name} ${c.type}${c.nullable ? '' : ' not null'}${c.masked ? ` — masked (${c.masked})` : ''}`,
          )
          .join('\n');
        const detectors = view.detectors;
        const scan =
          detectors.length > 0 ? `\nText values are also scanned for: ${detectors.join(', ')}.` : '';
        return textResult(`${table}:\n${text}${scan}`, { table, columns, detectors });
      }),
  );

  server.registerTool(
    'query',
    {
      description:
        'Runs one SQL statement through Sluice, which applies the connection policy (it may refuse the statement or hold it for approval) and masks personal data. Results are capped; a note says how to page.',
      inputSchema: {
        connection: connectionArgument,
        sql: z.string().describe('one SQL statement'),
        params: z
          .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
          .optional()
          .describe('values for $1, $2 … (PostgreSQL) or ? (MySQL)'),
        max_rows: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .optional()
          .describe(`rows to return, at most (default ${context.bounds.maxRows})`),
        offset: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('rows of the result to skip, to page through a truncated result'),
      },
    },
    async ({ connection, sql, params, max_rows, offset }, extra) =>
      withClient(pool, connection, async (client) => {
        const reporter = waitingReporter(extra);
        try {
          const skip = offset ?? 0;
          const maxRows = max_rows ?? context.bounds.maxRows;
          // One row past the cap tells a cut result from one that just fits.
          const result = await client.query(sql, params ?? [], {
            onNotice: (notice) => reporter.notice(notice),
            keepRows: skip + maxRows + 1,
          });
          const bounded = bound(
            { ...result, rows: result.rows.slice(skip) },
            { ...context.bounds, maxRows },
            skip,
          );
          return textResult(textTable(bounded), { ...bounded });
        } finally {
          reporter.stop();
        }
      }),
  );

  server.registerTool(
    'explain',
    {
      description: "The database's plan for a statement (EXPLAIN, without running it).",
      inputSchema: { connection: connectionArgument, sql: z.string().describe('one SQL statement') },
      annotations: { readOnlyHint: true },
    },
    async ({ connection, sql }) =>
      withClient(pool, connection, async (client) => {
        const result = await client.query(`EXPLAIN ${sql}`, [], { keepRows: context.bounds.maxRows + 1 });
        const bounded = bound(result, context.bounds, 0);
        const text =
          client.dialect === 'postgres'
            ? bounded.rows.map((row) => String(row[0])).join('\n')
            : textTable(bounded);
        return textResult(text, { ...bounded });
      }),
  );
}

async function withClient(
  pool: ConnectionPool,
  name: string | undefined,
  run: (client: SqlClient, connection: ConnectionConfig) => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const connection = pool.resolve(name);
  if (typeof connection === 'string') return errorResult(connection);
  let client: SqlClient;
  try {
    client = await pool.client(connection);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return errorResult(`Sluice refused the connection to ${connection.name}: ${message}`);
  }
  try {
    return await run(client, connection);
  } catch (error) {
    if (sessionLost(error)) pool.forget(connection);
    return failureResult(error);
  }
}

function qualified(table: { schema: string; name: string }): string {
  return `${table.schema}.${table.name}`;
}
