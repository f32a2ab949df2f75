import type { ConnectionConfig, SluiceConfig } from '@sluice/config';
import { connectMysql } from './mysql-client.js';
import { connectPostgres } from './postgres-client.js';
import type { Caller, SqlClient } from './sql-client.js';

/**
 * The connections one MCP session may name, and a driver connection to each gateway listener,
 * opened on first use and kept for the session (one gateway session per connection).
 */
export class ConnectionPool {
  private readonly clients = new Map<string, Promise<SqlClient>>();

  constructor(
    readonly config: SluiceConfig,
    private caller: Caller,
    private readonly clientName: () => string,
    /** Only this connection when set (`sluice mcp --connection`). */
    private readonly only: string | undefined,
  ) {}

  get available(): readonly ConnectionConfig[] {
    return this.config.connections.filter((connection) => !this.only || connection.name === this.only);
  }

  /** The named connection, or the only one when there is just one; a message saying why not otherwise. */
  resolve(name: string | undefined): ConnectionConfig | string {
    const available = this.available;
    if (name === undefined) {
      const [first] = available;
      if (available.length === 1 && first) return first;
      return `name a connection: one of ${available.map((connection) => connection.name).join(', ')}`;
    }
    const found = available.find((connection) => connection.name === name);
    return found ?? `no connection "${name}"; call list_connections to see those you may use`;
  }

  client(connection: ConnectionConfig): Promise<SqlClient> {
    let client = this.clients.get(connection.name);
    if (!client) {
      const open = connection.protocol === 'postgres' ? connectPostgres : connectMysql;
      client = open(connection, this.caller, this.clientName());
      this.clients.set(connection.name, client);
      // A failed sign-in is not cached: the next call tries again.
      client.catch(() => this.clients.delete(connection.name));
    }
    return client;
  }

  /** Drops a connection whose session ended (the gateway closed it, the token expired). */
  forget(connection: ConnectionConfig): void {
    const client = this.clients.get(connection.name);
    this.clients.delete(connection.name);
    client?.then((opened) => opened.close()).catch(() => undefined);
  }

  /** A fresh token for the same identity: later connections sign in with it, open ones are replaced. */
  setCaller(caller: Caller): void {
    if (caller.password === this.caller.password) return;
    this.caller = caller;
    for (const connection of this.available) this.forget(connection);
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(
      clients.map((client) => client.then((opened) => opened.close()).catch(() => undefined)),
    );
  }
}
