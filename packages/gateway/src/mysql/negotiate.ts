import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import {
  AuthPlugin,
  createSeed,
  ErrorCode,
  encodePackets,
  errPacket,
  MysqlWireError,
  packets,
  type ServerError,
  ServerStatus,
} from '@sluice/wire-mysql';
import { ConnectionClosedError, HandshakeTimeoutError } from '../frame-reader.js';
import { negotiatedCapabilities, offeredCapabilities, offeredMariadbCapabilities } from './capabilities.js';
import { type FirstPacket, readFirstPacket } from './first-packet.js';
import { HANDSHAKE_TIMEOUT_MS, MAX_HANDSHAKE_PACKET_BYTES } from './limits.js';
import { PacketReader } from './packet-reader.js';
import { greetingCharacterSet, greetingVersion, type UpstreamProfile } from './upstream-profile.js';

export type Negotiated =
  | {
      readonly kind: 'response';
      readonly socket: Socket;
      readonly reader: PacketReader;
      readonly response: packets.HandshakeResponse41;
      /** What the client and Sluice agreed on. */
      readonly capabilities: number;
      /** MariaDB's extended capabilities agreed on (extended metadata). */
      readonly mariadbCapabilities: number;
      /** The seed of the greeting, which the client's auth response was computed with. */
      readonly seed: Buffer;
      readonly tls: boolean;
      /** Sequence id of the client's HandshakeResponse41; Sluice answers with the next. */
      readonly sequenceId: number;
    }
  | { readonly kind: 'refused'; readonly reason: string };

export interface GreetingFacts {
  readonly tlsContext: SecureContext | undefined;
  readonly profile: UpstreamProfile | undefined;
  readonly threadId: number;
}

const PROTOCOL_VERSION = 10;

/**
 * The opening of a connection: Sluice's own greeting (protocol v10), an optional SslRequest and
 * TLS, then the client's HandshakeResponse41.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 */
export async function negotiate(socket: Socket, facts: GreetingFacts): Promise<Negotiated> {
  const seed = createSeed();
  const offered = offeredCapabilities(facts.profile, facts.tlsContext !== undefined);
  const offeredMariadb = offeredMariadbCapabilities(facts.profile);
  const greeting = packets.InitialHandshake.encode({
    kind: 'initial-handshake',
    protocolVersion: PROTOCOL_VERSION,
    serverVersion: greetingVersion(facts.profile),
    connectionId: facts.threadId,
    authPluginData: seed,
    capabilities: offered,
    mariadbCapabilities: offeredMariadb,
    characterSet: greetingCharacterSet(facts.profile),
    statusFlags: ServerStatus.autocommit,
    authPluginName: AuthPlugin.nativePassword,
  });
  socket.write(encodePackets(greeting, 0));

  let current = socket;
  let packet = await firstOrRefusal(current);
  if ('refused' in packet) return refuse(current, packet.refused, packet.error, 1);
  let tls = false;
  if (packets.isSslRequestPayload(packet.payload)) {
    const next = (packet.sequenceId + 1) % 256;
    if (!facts.tlsContext) {
      return refuse(current, 'TLS requested but not configured', ErrorCode.handshakeError, next);
    }
    current = await startTls(current, facts.tlsContext);
    tls = true;
    packet = await firstOrRefusal(current);
    if ('refused' in packet) return refuse(current, packet.refused, packet.error, next + 1);
  }
  const next = (packet.sequenceId + 1) % 256;
  let response: packets.HandshakeResponse41;
  try {
    response = packets.HandshakeResponse41.decode(packet.payload);
  } catch (error) {
    if (!(error instanceof MysqlWireError)) throw error;
    return refuse(current, `bad handshake: ${error.message}`, ErrorCode.handshakeError, next);
  }
  const reader = new PacketReader(current, MAX_HANDSHAKE_PACKET_BYTES);
  current.resume();
  return {
    kind: 'response',
    socket: current,
    reader,
    response,
    capabilities: negotiatedCapabilities(response.capabilities, offered),
    mariadbCapabilities: (response.mariadbCapabilities & offeredMariadb) >>> 0,
    seed,
    tls,
    sequenceId: packet.sequenceId,
  };
}

type PacketOrRefusal = FirstPacket | { readonly refused: string; readonly error: ServerError };

/** Framing errors become a refusal the client can read; a vanished client or a timeout ends quietly. */
async function firstOrRefusal(socket: Socket): Promise<PacketOrRefusal> {
  try {
    return await readFirstPacket(socket, MAX_HANDSHAKE_PACKET_BYTES, HANDSHAKE_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof ConnectionClosedError || error instanceof HandshakeTimeoutError) throw error;
    if (error instanceof MysqlWireError && error.code === 'packet-too-large') {
      return { refused: error.message, error: ErrorCode.netPacketTooLarge };
    }
    return {
      refused: error instanceof Error ? error.message : String(error),
      error: ErrorCode.handshakeError,
    };
  }
}

function startTls(socket: Socket, secureContext: SecureContext): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = new TLSSocket(socket, { isServer: true, secureContext });
    secure.once('secure', () => resolve(secure));
    secure.once('error', reject);
    socket.once('close', () => reject(new ConnectionClosedError()));
  });
}

function refuse(socket: Socket, reason: string, error: ServerError, sequenceId: number): Negotiated {
  const message =
    error === ErrorCode.netPacketTooLarge ? 'sluice: packet too large' : 'sluice: bad handshake';
  socket.end(encodePackets(errPacket(error, message), sequenceId % 256));
  return { kind: 'refused', reason };
}
