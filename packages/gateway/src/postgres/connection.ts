import type { Socket } from 'node:net';
import { errorMessage, SqlState, WireError } from '@sluice/wire-postgres';
import type { ClientPeer } from '../client-peer.js';
import type { SocketAdmission } from '../limits/admission.js';
import { sessionLimitMessage, totalLimitMessage } from '../limits/messages.js';
import type { ListenerContext } from '../listener-context.js';
import { originOf } from '../session-origin.js';
import { AuthProtocolError, authenticateClient, type ClientAuthResult } from './client-auth.js';
import { negotiate } from './negotiate.js';
import { PostgresSession } from './session.js';
import { parseOptions } from './startup-options.js';
import { refusedStartupSetting } from './startup-settings.js';
import { connectUpstream, type UpstreamSession } from './upstream.js';

/** One client connection through its phases: negotiate, authenticate, log in upstream, relay. */
export async function runPostgresConnection(
  socket: Socket,
  context: ListenerContext,
  admission: SocketAdmission,
  peer: ClientPeer,
): Promise<void> {
  const clientAddress = peer.address;
  const log = context.log.child({ connection: context.connection.name, client: clientAddress });
  const negotiated = await negotiate(socket, context.tlsContext);
  if (negotiated.kind === 'refused') {
    log.warn({ reason: negotiated.reason }, 'connection refused');
    return;
  }
  if (negotiated.kind === 'cancel') {
    const { processId, secretKey } = negotiated.request;
    context.registry.findCancelTarget(processId, secretKey)?.forwardCancel();
    return;
  }
  const { socket: client, reader, startup, tls } = negotiated;
  const fatal = (code: string, message: string): void => {
    client.end(errorMessage(code, message, 'FATAL'));
  };
  // Like PostgreSQL's "sorry, too many clients already": refused once the startup packet is read.
  if (admission.overCapacity) {
    log.warn({ limit: context.limits.config.maxConnections }, 'connection refused: gateway full');
    return fatal(SqlState.tooManyConnections, totalLimitMessage(context.limits));
  }
  const user = startup.parameters.user;
  if (!user)
    return fatal(SqlState.invalidAuthorizationSpecification, 'sluice: no user name in the startup message');
  if (startup.parameters.replication && startup.parameters.replication !== 'false') {
    log.warn({ user, replication: startup.parameters.replication }, 'replication connection refused');
    context.signInFailures.record({
      user,
      method: 'replication',
      reason: `replication=${startup.parameters.replication} is not supported`,
      clientHost: peer.host,
      connection: context.connection.name,
      protocol: 'postgres',
    });
    return fatal(SqlState.featureNotSupported, 'sluice: replication connections are not supported');
  }
  const options = parseOptions(startup.parameters.options ?? '');
  if (!options.ok) {
    return fatal(
      SqlState.featureNotSupported,
      `sluice: startup option "${options.switch}" is not supported: "options" may only hold -c name=value or --name=value`,
    );
  }
  const roleSwitch = roleSwitchingParameter(startup.parameters);
  if (roleSwitch) {
    return fatal(
      SqlState.insufficientPrivilege,
      `sluice: startup parameter ${roleSwitch} is not allowed: the database role is chosen by Sluice`,
    );
  }
  const refusedSetting = refusedStartupSetting(
    startup.parameters,
    context.policy.guardrails,
    context.analyzer,
  );
  if (refusedSetting) return fatal(SqlState.insufficientPrivilege, refusedSetting);

  const throttled = context.signInFailures.throttle.refusal(peer.host, user);
  if (throttled) {
    log.warn({ user, reason: throttled }, 'sign-in refused');
    context.signInFailures.record({
      user,
      method: 'throttle',
      reason: throttled,
      clientHost: peer.host,
      connection: context.connection.name,
      protocol: 'postgres',
    });
    return fatal(SqlState.invalidAuthorizationSpecification, `sluice: ${throttled}`);
  }
  const auth = await authenticateClient({
    socket: client,
    reader,
    user,
    authenticator: context.authenticator,
    privateChannel: tls || peer.loopback,
    serverSecret: context.serverSecret,
  }).catch(protocolErrorAsFailure);
  if (!auth.ok) {
    log.warn({ user, reason: auth.logReason }, 'authentication failed');
    context.signInFailures.record({
      user,
      // The branch authenticateClient took: tokens only for names that are not accounts.
      method:
        !context.authenticator.findAccount(user) && context.authenticator.acceptsTokens
          ? 'oidc'
          : 'scram-sha-256',
      reason: auth.logReason,
      clientHost: peer.host,
      connection: context.connection.name,
      protocol: 'postgres',
    });
    return fatal(auth.code, auth.message);
  }
  admission.signedIn();
  if (!context.limits.admission.claimSession(auth.identity.name, client)) {
    log.warn({ identity: auth.identity.name }, 'connection refused: too many sessions for the identity');
    return fatal(SqlState.tooManyConnections, sessionLimitMessage(context.limits, auth.identity.name));
  }

  let upstream: UpstreamSession;
  try {
    upstream = await connectUpstream(context.connection.upstream, startup.parameters);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.error({ user, reason }, 'upstream login failed');
    return fatal(SqlState.connectionFailure, 'sluice: the upstream database is unavailable');
  }
  const session = new PostgresSession(
    {
      client,
      clientReader: reader,
      upstream,
      identity: auth.identity,
      authMethod: auth.method,
      clientAddress,
      origin: originOf('postgres', startup.parameters.application_name),
    },
    context,
  );
  session.open();
  log.info({ session: session.id, identity: auth.identity.name, method: auth.method }, 'session started');
  await session.closed;
  log.info({ session: session.id, reason: session.endReason }, 'session ended');
}

/**
 * Any startup parameter is a setting for the server, so `role=…`, `session_authorization=…` or
 * `options=-c role=…` would switch the upstream role before the first statement is judged.
 * `options` is read as the server reads it (escapes, clustered switches, `-` for `_`).
 */
function roleSwitchingParameter(parameters: Readonly<Record<string, string>>): string | undefined {
  // Setting names are case-insensitive on the server.
  const named = Object.keys(parameters).find((name) => ROLE_SETTINGS.test(name));
  if (named) return `"${named}"`;
  const options = parseOptions(parameters.options ?? '');
  if (options.ok && options.settings.some((setting) => ROLE_SETTINGS.test(setting.name)))
    return '"options" setting the role';
  return undefined;
}

const ROLE_SETTINGS = /^(?:role|session_authorization)$/i;

function protocolErrorAsFailure(error: unknown): ClientAuthResult {
  // WireError: a password-phase frame that cannot be framed or decoded, or a malformed SCRAM message.
  if (!(error instanceof AuthProtocolError) && !(error instanceof WireError)) throw error;
  return {
    ok: false,
    code: SqlState.protocolViolation,
    message: `sluice: ${error.message}`,
    logReason: error.message,
  };
}
