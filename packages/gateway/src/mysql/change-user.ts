import { defaultLexerState } from '@sluice/sql';
import {
  Command,
  ErrorCode,
  encodePackets,
  errPacket,
  MysqlWireError,
  type Packet,
  PacketHeader,
  packets,
  type ServerError,
} from '@sluice/wire-mysql';
import type { ListenerContext } from '../listener-context.js';
import { StatementJudge } from '../statement-judge.js';
import { AuthConversation, AuthProtocolError } from './auth-conversation.js';
import { authenticateClient, type MysqlAuthResult } from './client-auth.js';
import { quoteIdentifier } from './client-commands.js';
import {
  MAX_HANDSHAKE_PACKET_BYTES,
  MAX_SERVER_PACKET_BYTES,
  UPSTREAM_CONNECT_TIMEOUT_MS,
} from './limits.js';
import type { MysqlListenerState } from './listener-state.js';
import { PacketReader } from './packet-reader.js';
import type { MysqlSessionParts } from './session-parts.js';

export type ChangeUserOutcome =
  | { readonly ok: true; readonly parts: MysqlSessionParts }
  /** The client has its error and the connection ends: the server's session was left mid-change. */
  | { readonly ok: false; readonly reason: string };

/**
 * COM_CHANGE_USER, as connection pools send it: the new user signs in to Sluice as at login
 * (a service account's secret, or a JWT through mysql_clear_password), then the upstream session
 * is reset with COM_RESET_CONNECTION and put back on the requested database. Sluice's own
 * upstream credentials stay as they are. The relay has stopped reading; this owns both sockets
 * until it returns.
 * https://mariadb.com/kb/en/com_change_user/
 */
export async function changeUser(
  packet: Packet,
  parts: MysqlSessionParts,
  context: ListenerContext,
  listener: MysqlListenerState,
): Promise<ChangeUserOutcome> {
  const clientReader = new PacketReader(parts.client, MAX_HANDSHAKE_PACKET_BYTES);
  const conversation = new AuthConversation(parts.client, clientReader, packet.lastSequenceId);
  const fail = (error: ServerError, message: string, reason: string): ChangeUserOutcome => {
    clientReader.detach();
    parts.client.end(encodePackets(errPacket(error, message), conversation.nextSequenceId));
    return { ok: false, reason };
  };
  let change: packets.ComChangeUser;
  try {
    change = packets.ComChangeUser.decode(packet.payload, parts);
  } catch (error) {
    if (!(error instanceof MysqlWireError)) throw error;
    return fail(ErrorCode.handshakeError, `sluice: bad handshake: ${error.message}`, error.message);
  }
  const throttled = context.signInFailures.throttle.refusal(parts.clientHost, change.username);
  if (throttled) {
    context.signInFailures.record({
      user: change.username,
      method: 'throttle',
      reason: throttled,
      clientHost: parts.clientHost,
      connection: context.connection.name,
      protocol: 'mysql',
    });
    return fail(ErrorCode.accessDenied, `sluice: ${throttled}`, `change of user refused: ${throttled}`);
  }
  const auth = await authenticateClient({
    conversation,
    response: {
      kind: 'handshake-response-41',
      capabilities: parts.capabilities,
      mariadbCapabilities: parts.mariadbCapabilities,
      maxPacketSize: 0,
      characterSet: change.characterSet ?? parts.collation,
      username: change.username,
      authResponse: change.authResponse,
      database: change.database,
      authPluginName: change.authPluginName,
      connectAttributes: change.connectAttributes,
      zstdCompressionLevel: null,
    },
    seed: parts.seed,
    authenticator: context.authenticator,
    privateChannel: parts.privateChannel,
    tls: parts.tls,
    serverSecret: context.serverSecret,
    rsaKeyPair: () => listener.rsaKeyPair(),
  }).catch(protocolErrorAsFailure);
  if (!auth.ok) {
    context.log.warn({ user: change.username, reason: auth.logReason }, 'change of user failed');
    context.signInFailures.record({
      user: change.username,
      method: change.authPluginName ?? 'mysql_native_password',
      reason: auth.logReason,
      clientHost: parts.clientHost,
      connection: context.connection.name,
      protocol: 'mysql',
    });
    return fail(auth.error, auth.message, `change of user failed: ${auth.logReason}`);
  }
  const schema = change.database || context.connection.upstream.database;
  const refusal = databaseRefusal(context, auth, schema);
  if (refusal) return fail(ErrorCode.dbAccessDenied, refusal, `change of user refused: ${refusal}`);

  const upstream = new PacketReader(parts.upstream.socket, MAX_SERVER_PACKET_BYTES);
  try {
    // COM_RESET_CONNECTION keeps the database; the new user asked for its own.
    let statusFlags = await upstreamCommand(parts, upstream, Buffer.from([Command.resetConnection]));
    if (schema !== '') {
      const initDb = packets.ComInitDb.encode({ kind: 'com-init-db', schema });
      statusFlags = await upstreamCommand(parts, upstream, initDb);
    }
    return {
      ok: true,
      parts: {
        ...parts,
        clientReader,
        upstream: { ...parts.upstream, reader: upstream, statusFlags },
        identity: auth.identity,
        authMethod: auth.method,
        okSequenceId: conversation.nextSequenceId,
        schema,
      },
    };
  } catch (error) {
    upstream.detach();
    const reason = error instanceof Error ? error.message : String(error);
    context.log.error({ reason }, 'upstream reset for a change of user failed');
    return fail(ErrorCode.unknownError, 'sluice: the upstream connection failed', reason);
  }
}

/** A database other than the connection's is judged as `USE`, as at login; the refusal's message. */
export function databaseRefusal(
  context: ListenerContext,
  auth: Extract<MysqlAuthResult, { ok: true }>,
  schema: string,
): string | null {
  const database = context.connection.upstream.database;
  if (schema === database) return null;
  const judgement = new StatementJudge(
    context.analyzer,
    () => context.policy,
    auth.identity,
    context.connection.name,
    database,
  ).judge(`USE ${quoteIdentifier(schema)}`, { lexer: defaultLexerState('mysql'), unfollowable: null });
  return judgement.allowed ? null : judgement.message;
}

/** Sends one command upstream and returns the status flags of its OK. */
async function upstreamCommand(
  parts: MysqlSessionParts,
  reader: PacketReader,
  payload: Buffer,
): Promise<number> {
  parts.upstream.socket.write(encodePackets(payload, 0));
  const reply = await reader.next(UPSTREAM_CONNECT_TIMEOUT_MS);
  if (reply.payload[0] !== PacketHeader.ok) {
    const error = packets.ErrPacket.decode(reply.payload);
    throw new Error(`the server refused: ${error.errorCode} ${error.message}`);
  }
  return packets.OkPacket.decode(reply.payload, parts).statusFlags;
}

export function protocolErrorAsFailure(error: unknown): MysqlAuthResult {
  if (!(error instanceof AuthProtocolError)) throw error;
  return {
    ok: false,
    error: ErrorCode.handshakeError,
    message: `sluice: bad handshake: ${error.message}`,
    logReason: error.message,
  };
}
