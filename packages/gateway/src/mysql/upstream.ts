import { readFileSync } from 'node:fs';
import { connect, isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import type { UpstreamConfig } from '@sluice/config';
import {
  Capability,
  type ConnectAttributes,
  encodePackets,
  hasCapability,
  PacketHeader,
  packets,
} from '@sluice/wire-mysql';
import { upstreamLoginFlags } from './capabilities.js';
import { MAX_SERVER_PACKET_BYTES, UPSTREAM_CONNECT_TIMEOUT_MS } from './limits.js';
import { PacketReader } from './packet-reader.js';
import { UpstreamAuthExchange } from './upstream-auth.js';
import { UpstreamError } from './upstream-error.js';

/** What the client chose that the upstream login must repeat. */
export interface UpstreamLoginRequest {
  /** Capabilities negotiated with the client. */
  readonly capabilities: number;
  /** MariaDB's extended capabilities negotiated with the client. */
  readonly mariadbCapabilities?: number;
  readonly characterSet: number;
  readonly maxPacketSize: number;
  readonly database: string;
  readonly connectAttributes: ConnectAttributes | null;
}

export interface MysqlUpstream {
  readonly socket: Socket;
  readonly reader: PacketReader;
  readonly greeting: packets.InitialHandshake;
  /** Capabilities of the upstream login, equal to the client's where they shape packets. */
  readonly capabilities: number;
  /** Server status after login (autocommit, sql_mode flags). */
  readonly statusFlags: number;
}

/** The greeting is answered with sequence id 1 (2 after an SslRequest). */
const FIRST_CLIENT_SEQUENCE = 1;

/**
 * Opens a server connection with Sluice's own credentials and completes the connection phase:
 * optional TLS (sslmode), mysql_native_password, caching_sha2_password (fast and full
 * authentication), mysql_clear_password over TLS, and auth switches between them.
 */
export async function connectUpstream(
  upstream: UpstreamConfig,
  request: UpstreamLoginRequest,
): Promise<MysqlUpstream> {
  const plain = await openSocket(upstream);
  let socket: Socket = plain;
  try {
    let reader = new PacketReader(plain, MAX_SERVER_PACKET_BYTES);
    const greetingPacket = await reader.next(UPSTREAM_CONNECT_TIMEOUT_MS);
    if (greetingPacket.payload[0] === PacketHeader.err) throw refusal(greetingPacket.payload, 'connection');
    const greeting = packets.InitialHandshake.decode(greetingPacket.payload);
    const flags = upstreamLoginFlags(
      request.capabilities,
      greeting.capabilities,
      request.database !== '',
      request.connectAttributes !== null,
      request.mariadbCapabilities,
      greeting.mariadbCapabilities,
    );
    if (flags.missing) {
      throw new UpstreamError(
        `the server does not offer ${flags.missing}, which the client negotiated`,
        true,
      );
    }
    let sequenceId = FIRST_CLIENT_SEQUENCE;
    let capabilities = flags.capabilities;
    if (wantsTls(upstream, greeting)) {
      capabilities = (capabilities | Capability.ssl) >>> 0;
      const sslRequest = packets.SslRequest.encode({
        kind: 'ssl-request',
        capabilities,
        mariadbCapabilities: flags.mariadbCapabilities,
        maxPacketSize: request.maxPacketSize,
        characterSet: request.characterSet,
      });
      plain.write(encodePackets(sslRequest, sequenceId++));
      reader.detach();
      socket = await startTls(plain, upstream);
      reader = new PacketReader(socket, MAX_SERVER_PACKET_BYTES);
    }
    const exchange = new UpstreamAuthExchange(upstream, greeting, socket !== plain);
    const response = packets.HandshakeResponse41.encode({
      kind: 'handshake-response-41',
      capabilities,
      mariadbCapabilities: flags.mariadbCapabilities,
      maxPacketSize: request.maxPacketSize,
      characterSet: request.characterSet,
      username: upstream.user,
      authResponse: exchange.initialResponse(),
      database: hasCapability(capabilities, Capability.connectWithDb) ? request.database : null,
      authPluginName: exchange.pluginName,
      connectAttributes: hasCapability(capabilities, Capability.connectAttrs)
        ? request.connectAttributes
        : null,
      zstdCompressionLevel: null,
    });
    socket.write(encodePackets(response, sequenceId));
    const statusFlags = await finishAuthentication(socket, reader, exchange, capabilities);
    return { socket, reader, greeting, capabilities, statusFlags };
  } catch (error) {
    socket.destroy();
    plain.destroy();
    throw error instanceof UpstreamError ? error : new UpstreamError(errorText(error));
  }
}

/** Reads the server's answers until OK, replying to auth switches and AuthMoreData. */
async function finishAuthentication(
  socket: Socket,
  reader: PacketReader,
  exchange: UpstreamAuthExchange,
  capabilities: number,
): Promise<number> {
  for (;;) {
    const packet = await reader.next(UPSTREAM_CONNECT_TIMEOUT_MS);
    const header = packet.payload[0];
    if (header === PacketHeader.ok) {
      return packets.OkPacket.decode(packet.payload, { capabilities, mariadbCapabilities: 0 }).statusFlags;
    }
    if (header === PacketHeader.err) throw refusal(packet.payload, 'login');
    let answer: Buffer | null;
    if (header === PacketHeader.authSwitchRequest) {
      answer = exchange.switchTo(packets.AuthSwitchRequest.decode(packet.payload));
    } else if (header === PacketHeader.authMoreData) {
      answer = exchange.moreData(packets.AuthMoreData.decode(packet.payload).data);
    } else {
      throw new UpstreamError(`unexpected packet 0x${(header ?? 0).toString(16)} during login`);
    }
    if (answer) socket.write(encodePackets(answer, (packet.lastSequenceId + 1) % 256));
  }
}

function wantsTls(upstream: UpstreamConfig, greeting: packets.InitialHandshake): boolean {
  if (upstream.sslMode === 'disable') return false;
  if (hasCapability(greeting.capabilities, Capability.ssl)) return true;
  if (upstream.sslMode === 'prefer') return false;
  throw new UpstreamError(`the server does not offer TLS (sslmode=${upstream.sslMode})`);
}

function openSocket(upstream: UpstreamConfig): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    socket.setNoDelay(true);
    socket.setTimeout(UPSTREAM_CONNECT_TIMEOUT_MS, () =>
      socket.destroy(new UpstreamError('timed out connecting to the server')),
    );
    socket.once('connect', () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('error', (error) => reject(new UpstreamError(`cannot reach the server: ${error.message}`)));
  });
}

function startTls(plain: Socket, upstream: UpstreamConfig): Promise<Socket> {
  const verify = upstream.sslMode === 'verify-ca' || upstream.sslMode === 'verify-full';
  const options: ConnectionOptions = {
    socket: plain,
    // The certificate is checked against this name (verify-full); SNI takes only DNS names.
    host: upstream.host,
    servername: isIP(upstream.host) === 0 ? upstream.host : undefined,
    rejectUnauthorized: verify,
    ca: upstream.sslRootCert ? readFileSync(upstream.sslRootCert) : undefined,
  };
  // Leaving checkServerIdentity out keeps Node's own check; only verify-full wants it.
  if (upstream.sslMode !== 'verify-full') options.checkServerIdentity = () => undefined;
  return new Promise<Socket>((resolve, reject) => {
    const secure = tlsConnect(options);
    secure.setNoDelay(true);
    secure.once('secureConnect', () => resolve(secure));
    secure.once('error', (error) => reject(new UpstreamError(`TLS to the server failed: ${error.message}`)));
  });
}

function refusal(payload: Buffer, phase: string): UpstreamError {
  try {
    const error = packets.ErrPacket.decode(payload);
    return new UpstreamError(`server refused the ${phase}: ${error.errorCode} ${error.message}`);
  } catch {
    return new UpstreamError(`server refused the ${phase} with an unreadable error`);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
