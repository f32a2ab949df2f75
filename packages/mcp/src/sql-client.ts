/** One column of a result, as the driver reports it. */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

export interface SqlResult {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly unknown[])[];
  /** Rows affected by a write, when the server says. */
  readonly affected: number | null;
  readonly command: string;
}

/** Who connects, and as what: the caller's own credentials, never the upstream's. */
export interface Caller {
  readonly user: string;
  /** A service account's secret or an OIDC JWT; the gateway verifies it. */
  readonly password: string;
}

export interface QueryOptions {
  /** Hears what the gateway says while a statement waits (approvals). */
  readonly onNotice?: (message: string) => void;
  /** Rows kept at most; the rest of the result is read and dropped, so memory stays bounded. */
  readonly keepRows?: number;
}

/**
 * A driver connection to one of the gateway's listeners. Every statement an MCP tool runs goes
 * through it, so the gateway judges, masks and journals it as it does any other client's.
 */
export interface SqlClient {
  readonly dialect: 'postgres' | 'mysql';
  query(sql: string, parameters: readonly unknown[], options?: QueryOptions): Promise<SqlResult>;
  close(): Promise<void>;
}

/** The name a session of the MCP server gives the gateway; the gateway journals it as protocol `mcp`. */
export function programName(clientName: string): string {
  const cleaned = clientName.replace(/[^\w.@:-]+/g, '-').slice(0, 40);
  return `sluice-mcp/${cleaned || 'unknown'}`;
}
