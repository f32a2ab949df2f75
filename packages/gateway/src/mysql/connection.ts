import type { Socket } from 'node:net';
import {
  Capability,
  ErrorCode,
  encodePackets,
  errPacket,
  hasCapability,
  type ServerError,
} from '@sluice/wire-mysql';
import type { ClientPeer } from '../client-peer.js';
import type { SocketAdmission } from '../limits/admission.js';
import { sessionLimitMessage, totalLimitMessage } from '../limits/messages.js';
import type { ListenerContext } from '../listener-context.js';
import { originOf } from '../session-origin.js';
import { AuthConversation } from './auth-conversation.js';
import { databaseRefusal, protocolErrorAsFailure } from './change-user.js';
import { authenticateClient } from './client-auth.js';
import { CompressedClient } from './compressed-client.js';
import { MysqlListenerState } from './listener-state.js';
import { negotiate } from './negotiate.js';
import { MysqlSession } from './session.js';
import { connectUpstream, type MysqlUpstream } from './upstream.js';
import { UpstreamError } from './upstream-error.js';

/** A handler for the connections of one MySQL listener, sharing its upstream profile and keys. */
export function mysqlConnectionHandler(
  context: ListenerContext,
): (socket: Socket, admission: SocketAdmission, peer: ClientPeer) => Promise<void> {
  const listener = new MysqlListenerState(context.connection.upstream, context.log);
  return (socket, admission, peer) => runMysqlConnection(socket, context, listener, admission, peer);
}

/**
 * One client connection through its phases: greet, authenticate, log in upstream, relay. The
 * client is authenticated before anything reaches the upstream, so its greeting carries a thread
 * id of Sluice's (KILL through Sluice maps it to the upstream's).
 */
export async function runMysqlConnection(
  socket: Socket,
  context: ListenerContext,
  listener: MysqlListenerState,
  admission: SocketAdmission,
  peer: ClientPeer,
): Promise<void> {
  const clientAddress = peer.address;
  const log = context.log.child({ connection: context.connection.name, client: clientAddress });
  // As MySQL does: an error packet in place of the greeting ("Too many connections").
  if (admission.overCapacity) {
    log.warn({ limit: context.limits.config.maxConnections }, 'connection refused: gateway full');
    socket.end(encodePackets(errPacket(ErrorCode.conCountError, totalLimitMessage(context.limits)), 0));
    return;
  }
  const threadId = listener.allocateThreadId();
  const negotiated = await negotiate(socket, {
    tlsContext: context.tlsContext,
    profile: await listener.currentProfile(),
    threadId,
  });
  if (negotiated.kind === 'refused') {
    log.warn({ reason: negotiated.reason }, 'connection refused');
    return;
  }
  const { socket: client, reader, response, tls } = negotiated;
  const conversation = new AuthConversation(client, reader, negotiated.sequenceId);
  const fail = (error: ServerError, message: string): void => {
    client.end(encodePackets(errPacket(error, message), conversation.nextSequenceId));
  };

  const throttled = context.signInFailures.throttle.refusal(peer.host, response.username);
  if (throttled) {
    log.warn({ user: response.username, reason: throttled }, 'sign-in refused');
    context.signInFailures.record({
      user: response.username,
      method: 'throttle',
      reason: throttled,
      clientHost: peer.host,
      connection: context.connection.name,
      protocol: 'mysql',
    });
    return fail(ErrorCode.accessDenied, `sluice: ${throttled}`);
  }
  const privateChannel = tls || peer.loopback;
  const auth = await authenticateClient({
    conversation,
    response,
    seed: negotiated.seed,
    authenticator: context.authenticator,
    privateChannel,
    tls,
    serverSecret: context.serverSecret,
    rsaKeyPair: () => listener.rsaKeyPair(),
  }).catch(protocolErrorAsFailure);
  const user = response.username;
  if (!auth.ok) {
    log.warn({ user, reason: auth.logReason }, 'authentication failed');
    context.signInFailures.record({
      user,
      method:
        !context.authenticator.findAccount(user) && context.authenticator.acceptsTokens
          ? 'oidc'
          : (response.authPluginName ?? 'mysql_native_password'),
      reason: auth.logReason,
      clientHost: peer.host,
      connection: context.connection.name,
      protocol: 'mysql',
    });
    return fail(auth.error, auth.message);
  }
  admission.signedIn();
  if (!context.limits.admission.claimSession(auth.identity.name, client)) {
    log.warn({ identity: auth.identity.name }, 'connection refused: too many sessions for the identity');
    return fail(ErrorCode.tooManyUserConnections, sessionLimitMessage(context.limits, auth.identity.name));
  }

  const schema = response.database || context.connection.upstream.database;
  const refusal = databaseRefusal(context, auth, schema);
  if (refusal) {
    log.warn({ user, schema, reason: refusal }, 'database refused');
    return fail(ErrorCode.dbAccessDenied, refusal);
  }

  let upstream: MysqlUpstream;
  try {
    upstream = await connectUpstream(context.connection.upstream, {
      capabilities: negotiated.capabilities,
      mariadbCapabilities: negotiated.mariadbCapabilities,
      characterSet: response.characterSet,
      maxPacketSize: response.maxPacketSize,
      database: schema,
      connectAttributes: response.connectAttributes,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.error({ user, reason }, 'upstream login failed');
    if (error instanceof UpstreamError && error.capabilityMismatch) {
      return fail(ErrorCode.handshakeError, 'sluice: the upstream server changed; reconnect');
    }
    return fail(ErrorCode.unknownError, 'sluice: the upstream database is unavailable');
  }
  listener.learn(upstream.greeting);
  // Loaded once per gateway; the first session of a masking connection waits for it.
  await context.mysqlCatalog?.ready();
  if (client.destroyed) {
    upstream.socket.destroy();
    return;
  }
  const session = new MysqlSession(
    {
      // Compression starts after the OK that ends the connection phase, which is written raw.
      client: hasCapability(negotiated.capabilities, Capability.compress)
        ? new CompressedClient(client)
        : client,
      clientReader: reader,
      upstream,
      identity: auth.identity,
      authMethod: auth.method,
      clientAddress,
      clientHost: peer.host,
      capabilities: negotiated.capabilities,
      mariadbCapabilities: negotiated.mariadbCapabilities,
      collation: response.characterSet,
      threadId,
      okSequenceId: conversation.nextSequenceId,
      schema,
      origin: originOf('mysql', response.connectAttributes?.get('program_name')),
      seed: negotiated.seed,
      tls,
      privateChannel,
    },
    context,
    listener,
  );
  session.open();
  log.info({ session: session.id, identity: auth.identity.name, method: auth.method }, 'session started');
  for (let current = session; ; ) {
    await current.closed;
    log.info({ session: current.id, reason: current.endReason }, 'session ended');
    if (!current.successor) return;
    current = current.successor;
    log.info({ session: current.id, identity: current.identityName }, 'session started (user changed)');
  }
}
