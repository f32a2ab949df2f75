import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CONNECTION_NAME } from './demo-config.js';
import { expectThat } from './expect.js';
import type { Transcript } from './transcript.js';

export const MCP_CLIENT_NAME = 'demo-mcp-agent';
const MASKED_QUERY = 'SELECT name, email FROM customers ORDER BY id LIMIT 2';
const REFUSED_QUERY = 'DELETE FROM orders';

export interface McpStepInput {
  readonly transcript: Transcript;
  readonly configPath: string;
  readonly agent: { readonly name: string; readonly secret: string };
  /** The sluice CLI's entry script, which `sluice mcp` runs from. */
  readonly cli: string;
}

/**
 * Step 7: the same agent, speaking MCP. An MCP client starts `sluice mcp` over stdio, and its
 * `query` calls go through the gateway's listener: masked rows, and a refusal it can act on.
 */
export async function runMcpStep(input: McpStepInput): Promise<void> {
  const { transcript, agent } = input;
  transcript.step('An agent that speaks MCP gets the same policy (sluice mcp)');
  transcript.line(
    `$ sluice mcp --config sluice.yaml --connection ${CONNECTION_NAME}    (as ${agent.name}, over stdio)`,
  );
  const client = new Client({ name: MCP_CLIENT_NAME, version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [input.cli, 'mcp', '--config', input.configPath, '--connection', CONNECTION_NAME],
      env: { PATH: process.env.PATH ?? '', SLUICE_AGENT: agent.name, SLUICE_AGENT_SECRET: agent.secret },
      stderr: 'ignore',
    }),
  );
  try {
    const { tools } = await client.listTools();
    transcript.line(`tools: ${tools.map((tool) => tool.name).join(', ')}`);

    transcript.sql(MASKED_QUERY, `${MCP_CLIENT_NAME} query`);
    const rows = await call(client, MASKED_QUERY);
    expectThat(!rows.isError, `the MCP query failed: ${textOf(rows)}`);
    for (const line of textOf(rows).split('\n')) transcript.line(line);
    expectThat(/\*\*\*@/.test(textOf(rows)), 'the MCP query returned unmasked emails');

    transcript.sql(REFUSED_QUERY, `${MCP_CLIENT_NAME} query`);
    const refused = await call(client, REFUSED_QUERY);
    expectThat(refused.isError === true, 'the MCP DELETE without WHERE was not refused');
    const [why = '', allowed = ''] = textOf(refused).split('\n');
    transcript.outcome('blocked', why);
    transcript.line(allowed);
    transcript.note(`The journal records both with protocol mcp and client ${MCP_CLIENT_NAME}.`);
  } finally {
    await client.close();
  }
}

async function call(client: Client, sql: string): Promise<CallToolResult> {
  return (await client.callTool({ name: 'query', arguments: { sql } })) as CallToolResult;
}

function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}
