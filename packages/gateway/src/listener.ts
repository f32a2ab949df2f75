import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { ConnectionConfig } from '@sluice/config';
import { GatewayError } from './errors.js';
import type { ListenerContext } from './listener-context.js';
import { mysqlConnectionHandler } from './mysql/connection.js';
import { runPostgresConnection } from './postgres/connection.js';

export interface Listener {
  readonly connection: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting; open sessions are left to the caller. */
  close(): Promise<void>;
}

export async function listen(context: Omit<ListenerContext, 'tlsContext'>): Promise<Listener> {
  const { connection, log } = context;
  const full: ListenerContext = { ...context, tlsContext: loadTls(connection) };
  const handle =
    connection.protocol === 'mysql'
      ? mysqlConnectionHandler(full)
      : (socket: Socket) => runPostgresConnection(socket, full);
  const server = createServer({ noDelay: true, keepAlive: true }, (socket: Socket) => {
    socket.setNoDelay(true);
    // Client input must never take the gateway down: every failure ends only this connection.
    socket.on('error', () => undefined);
    handle(socket).catch((error: unknown) => {
      log.debug({ err: error, connection: connection.name }, 'connection ended during handshake');
      socket.destroy();
    });
  });
  await bind(server, connection);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : connection.listen.port;
  log.info({ connection: connection.name, address: `${connection.listen.host}:${port}` }, 'listening');
  return {
    connection: connection.name,
    host: connection.listen.host,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function bind(server: Server, connection: ConnectionConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new GatewayError(
          'listen-failed',
          `connection "${connection.name}": cannot listen on ${connection.listen.host}:${connection.listen.port}: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    server.listen(connection.listen.port, connection.listen.host, () => resolve());
  });
}

function loadTls(connection: ConnectionConfig): SecureContext | undefined {
  if (!connection.tls) return undefined;
  try {
    return createSecureContext({
      cert: readFileSync(connection.tls.cert),
      key: readFileSync(connection.tls.key),
      minVersion: 'TLSv1.2',
    });
  } catch (error) {
    throw new GatewayError(
      'tls-unreadable',
      `connection "${connection.name}": cannot load the TLS certificate or key: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
