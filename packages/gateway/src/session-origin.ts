import type { SessionProtocol } from '@sluice/journal';

/** What the journal says a session came through: its wire protocol, or Sluice's MCP server. */
export interface SessionOrigin {
  readonly protocol: SessionProtocol;
  /** The MCP client's name, for sessions of Sluice's MCP server. */
  readonly clientName: string | null;
}

const MCP_PROGRAM = 'sluice-mcp/';

/**
 * Sluice's MCP server names its sessions `sluice-mcp/<client>` (PostgreSQL `application_name`,
 * MySQL connect attribute `program_name`). The name is the client's own word: it labels the
 * record and changes nothing the gateway enforces, as identity, policy and masking are the same.
 */
export function originOf(wire: 'postgres' | 'mysql', program: string | undefined): SessionOrigin {
  if (program?.startsWith(MCP_PROGRAM))
    return { protocol: 'mcp', clientName: program.slice(MCP_PROGRAM.length).slice(0, 64) || null };
  return { protocol: wire, clientName: null };
}
