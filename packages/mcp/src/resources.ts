import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describeTable, listTables, MaskingView } from './catalog.js';
import type { ConnectionPool } from './connections.js';

/** Each table's schema as a resource: `sluice-table://<connection>/<schema>/<table>`, JSON. */
export function registerTableResources(
  server: McpServer,
  pool: ConnectionPool,
  groups: readonly string[] | undefined,
): void {
  server.registerResource(
    'table-schema',
    new ResourceTemplate('sluice-table://{connection}/{schema}/{table}', {
      list: async () => {
        const resources = [];
        for (const connection of pool.available) {
          const client = await pool.client(connection).catch(() => undefined);
          if (!client) continue;
          const tables = await listTables(client).catch(() => []);
          for (const table of tables)
            resources.push({
              uri: `sluice-table://${connection.name}/${table.schema}/${table.name}`,
              name: `${connection.name}: ${table.schema}.${table.name}`,
              mimeType: 'application/json',
            });
        }
        return { resources };
      },
    }),
    {
      description: 'Columns of a table, with the columns Sluice masks for you',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const connection = pool.resolve(String(variables.connection));
      if (typeof connection === 'string') throw new Error(connection);
      const client = await pool.client(connection);
      const view = new MaskingView(pool.config.policies.get(connection.policy ?? ''), groups);
      const table = { schema: String(variables.schema), name: String(variables.table) };
      const columns = await describeTable(client, table, view);
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: 'application/json',
            text: JSON.stringify({ connection: connection.name, ...table, columns }, null, 2),
          },
        ],
      };
    },
  );
}
