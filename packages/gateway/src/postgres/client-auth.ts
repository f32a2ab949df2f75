import type { Socket } from 'node:net';
import type { Identity } from '@sluice/identity';
import { looksLikeJwt, parseScramVerifier } from '@sluice/identity';
import type { Account } from '@sluice/journal';
import { backend, frontend, ScramServer, SqlState, unknownUserScramKeys } from '@sluice/wire-postgres';
import type { Authenticator } from '../authenticator.js';
import type { FrameReader } from '../frame-reader.js';
import { HANDSHAKE_TIMEOUT_MS } from './limits.js';

export interface ClientAuthContext {
  readonly socket: Socket;
  readonly reader: FrameReader;
  readonly user: string;
  readonly authenticator: Authenticator;
  /** Clear-text tokens are accepted only where nobody can read them on the way. */
  readonly privateChannel: boolean;
  /** Keys fake verifiers for unknown users, so they cannot be told from known ones. */
  readonly serverSecret: Buffer;
}

export type ClientAuthResult =
  | { readonly ok: true; readonly identity: Identity; readonly method: 'scram-sha-256' | 'oidc' }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly logReason: string };

const SCRAM = 'SCRAM-SHA-256';

/**
 * Service accounts prove their secret with SCRAM-SHA-256 against the stored verifier; anyone
 * else, when an identity provider is configured, sends a JWT as a clear-text password.
 */
export function authenticateClient(context: ClientAuthContext): Promise<ClientAuthResult> {
  const account = context.authenticator.findAccount(context.user);
  if (!account && context.authenticator.acceptsTokens) return authenticateToken(context);
  return authenticateScram(context, account);
}

async function authenticateScram(
  context: ClientAuthContext,
  account: Account | undefined,
): Promise<ClientAuthResult> {
  const storedKeys = account ? parseScramVerifier(account.verifiers.scramSha256 ?? '') : undefined;
  const keys = storedKeys ?? unknownUserScramKeys(context.user, context.serverSecret);
  const failed = passwordFailed(context.user, account ? 'wrong secret' : 'unknown user');

  context.socket.write(backend.Authentication.encode({ kind: 'authentication-sasl', mechanisms: [SCRAM] }));
  const initial = frontend.SaslInitialResponse.decode(await nextPassword(context));
  if (initial.mechanism !== SCRAM || !initial.data) {
    return {
      ok: false,
      code: SqlState.invalidAuthorizationSpecification,
      message: `sluice: unsupported SASL mechanism "${initial.mechanism}"`,
      logReason: 'unsupported SASL mechanism',
    };
  }
  const server = new ScramServer(keys);
  const serverFirst = server.serverFirst(initial.data);
  context.socket.write(
    backend.Authentication.encode({ kind: 'authentication-sasl-continue', data: serverFirst }),
  );
  const response = frontend.SaslResponse.decode(await nextPassword(context));
  const final = server.serverFinal(response.data);
  if (!final.ok || !account || !storedKeys) return failed;

  const admitted = context.authenticator.admitAccount(account);
  if (!admitted.ok) {
    return {
      ok: false,
      code: SqlState.invalidAuthorizationSpecification,
      message: `sluice: ${admitted.reason}`,
      logReason: admitted.reason,
    };
  }
  context.socket.write(
    backend.Authentication.encode({ kind: 'authentication-sasl-final', data: final.message }),
  );
  return { ok: true, identity: admitted.identity, method: 'scram-sha-256' };
}

async function authenticateToken(context: ClientAuthContext): Promise<ClientAuthResult> {
  if (!context.privateChannel) {
    return {
      ok: false,
      code: SqlState.invalidAuthorizationSpecification,
      message: 'sluice: token logins need TLS or a loopback connection',
      logReason: 'token login over an unencrypted remote connection',
    };
  }
  context.socket.write(backend.Authentication.encode({ kind: 'authentication-cleartext-password' }));
  const { password } = frontend.PasswordMessage.decode(await nextPassword(context));
  if (!looksLikeJwt(password)) return passwordFailed(context.user, 'password is not a token');
  const result = await context.authenticator.verifyToken(password);
  if (!result.ok) {
    return {
      ok: false,
      code: SqlState.invalidPassword,
      message: `sluice: token rejected: ${result.reason}`,
      logReason: `token rejected: ${result.reason}`,
    };
  }
  return { ok: true, identity: result.identity, method: 'oidc' };
}

async function nextPassword(context: ClientAuthContext): Promise<Buffer> {
  const frame = await context.reader.next(HANDSHAKE_TIMEOUT_MS);
  if (frame.code !== frontend.PasswordMessage.code) {
    throw new AuthProtocolError(`expected a password message, got '${String.fromCharCode(frame.code)}'`);
  }
  return frame.bytes;
}

function passwordFailed(user: string, logReason: string): ClientAuthResult {
  return {
    ok: false,
    code: SqlState.invalidPassword,
    message: `sluice: password authentication failed for user "${user}"`,
    logReason,
  };
}

export class AuthProtocolError extends Error {}
