import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { ConnectionConfig } from '@sluice/config';
import { ErrorCode, encodePackets, errPacket } from '@sluice/wire-mysql';
import { errorMessage, SqlState } from '@sluice/wire-postgres';
import { type ClientPeer, proxiedPeer, readProxyHeader, socketPeer, TrustedProxies } from './client-peer.js';
import { GatewayError } from './errors.js';
import type { SocketAdmission } from './limits/admission.js';
import { armHandshakeDeadline } from './limits/handshake-deadline.js';
import type { ListenerContext } from './listener-context.js';
import { mysqlConnectionHandler } from './mysql/connection.js';
import { runPostgresConnection } from './postgres/connection.js';
import { ProxyHeaderError } from './proxy-header.js';

export interface Listener {
  readonly connection: string;
  readonly host: string;
  readonly port: number;
  /** Accepting connections now. */
  readonly listening: boolean;
  /** Stops accepting; resolves once every connection is gone. Open sessions are left to the caller. */
  close(): Promise<void>;
  /**
   * Closes every connection still open once what was written to it has gone out: a client that
   * never closes its side must not hold the gateway's shutdown.
   */
  dropConnections(): void;
}

/** How long a closing connection's last bytes get to go out before it is cut. */
const LINGER_MS = 1000;

export async function listen(context: Omit<ListenerContext, 'tlsContext'>): Promise<Listener> {
  const { connection, log } = context;
  // Copied by descriptor: the policy and catalogs are getters that follow a reload.
  const full = Object.defineProperties(
    { tlsContext: loadTls(connection) },
    Object.getOwnPropertyDescriptors(context),
  ) as ListenerContext;
  const handle =
    connection.protocol === 'mysql'
      ? mysqlConnectionHandler(full)
      : (socket: Socket, admission: SocketAdmission, peer: ClientPeer) =>
          runPostgresConnection(socket, full, admission, peer);
  const proxies = new TrustedProxies(connection.proxyProtocolFrom);
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true, keepAlive: true }, (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    // Client input must never take the gateway down: every failure ends only this connection.
    socket.on('error', () => undefined);
    // Once the gateway has ended its side, a client that never closes its own must not keep
    // the socket (and its descriptor) for ever.
    socket.once('finish', () => setTimeout(() => socket.destroy(), LINGER_MS).unref());
    let peer = socketPeer(socket);
    const admission = admit(socket, full, () => peer);
    const named = proxies.includes(socket.remoteAddress)
      ? readProxyHeader(socket).then(
          (source) => {
            if (source) peer = proxiedPeer(socket, source);
            return true;
          },
          (error: unknown) => {
            refuseProxyHeader(socket, full, error);
            return false;
          },
        )
      : Promise.resolve(true);
    named
      .then((ready) => (ready ? handle(socket, admission, peer) : undefined))
      .catch((error: unknown) => {
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
    get listening() {
      return server.listening;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
    dropConnections() {
      for (const socket of sockets) {
        if (socket.writableFinished) socket.destroy();
        else socket.once('finish', () => socket.destroy()).end();
        setTimeout(() => socket.destroy(), LINGER_MS).unref();
      }
    },
  };
}

/** Counts the socket against `limits.max_connections` and starts its handshake deadline. */
function admit(socket: Socket, context: ListenerContext, peer: () => ClientPeer): SocketAdmission {
  const { limits, connection } = context;
  const overCapacity = !limits.admission.accept(socket);
  const timeoutMs = limits.config.handshakeTimeoutMs;
  const signedIn = armHandshakeDeadline(socket, timeoutMs, () => {
    const reason = `sign-in not finished within ${timeoutMs / 1000}s (limits.handshake_timeout)`;
    context.log.warn({ connection: connection.name, client: peer().address }, reason);
    context.signInFailures.record({
      user: '',
      method: 'handshake',
      reason,
      clientHost: peer().host,
      connection: connection.name,
      protocol: connection.protocol,
    });
  });
  return { overCapacity, signedIn };
}

/**
 * A listed balancer sent something other than a PROXY header: it is misconfigured, or the
 * address is not the balancer's. Answered in the listener's protocol, as a failed sign-in.
 */
function refuseProxyHeader(socket: Socket, context: ListenerContext, error: unknown): void {
  // Connected and closed without a byte: a balancer's TCP health check.
  if (error instanceof ProxyHeaderError && error.silent) return;
  const reason = `bad PROXY protocol header: ${error instanceof Error ? error.message : String(error)}`;
  context.log.warn({ connection: context.connection.name, client: socketPeer(socket).address }, reason);
  context.signInFailures.record({
    user: '',
    method: 'proxy-protocol',
    reason,
    clientHost: socketPeer(socket).host,
    connection: context.connection.name,
    protocol: context.connection.protocol,
  });
  if (socket.destroyed) return;
  socket.end(
    context.connection.protocol === 'mysql'
      ? encodePackets(errPacket(ErrorCode.handshakeError, `sluice: ${reason}`), 0)
      : errorMessage(SqlState.protocolViolation, `sluice: ${reason}`, 'FATAL'),
  );
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
