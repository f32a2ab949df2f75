import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { SluiceConfig } from '@sluice/config';
import { Journal } from '@sluice/journal';
import { createMcpSession } from './server.js';

export interface StdioOptions {
  readonly config: SluiceConfig;
  /** The service account the agent acts as. */
  readonly agent: string;
  readonly secret: string;
  readonly connection?: string | undefined;
}

/**
 * Serves MCP on stdin/stdout for a local agent, acting as one service account. The secret is
 * checked by the gateway when the first tool call connects, as for any other client.
 */
export async function serveStdio(options: StdioOptions): Promise<void> {
  const { config, connection } = options;
  if (connection && !config.connections.some((candidate) => candidate.name === connection))
    throw new Error(`--connection: no connection "${connection}" in ${config.file}`);
  const session = createMcpSession({
    config,
    caller: { user: options.agent, password: options.secret },
    groups: accountGroups(config.journal.path, options.agent),
    connection,
  });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await session.server.connect(transport);
  await closed;
  await session.close();
}

/** The account's groups, read from the journal file, to mark masked columns; undefined if unreadable. */
function accountGroups(path: string, name: string): readonly string[] | undefined {
  try {
    const journal = Journal.open(path, { readonly: true });
    try {
      return journal.getAccount(name)?.groups;
    } finally {
      journal.close();
    }
  } catch {
    return undefined;
  }
}
