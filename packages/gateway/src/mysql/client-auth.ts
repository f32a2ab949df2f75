import { createHmac } from 'node:crypto';
import type { Identity } from '@sluice/identity';
import { looksLikeJwt, parseCachingSha2Verifier, parseMysqlNativeVerifier } from '@sluice/identity';
import type { Account } from '@sluice/journal';
import {
  AuthPlugin,
  createSeed,
  ErrorCode,
  packets,
  pluginDataForSeed,
  type ServerError,
  verifyNativePassword,
} from '@sluice/wire-mysql';
import type { Authenticator } from '../authenticator.js';
import type { AuthConversation } from './auth-conversation.js';
import { type CachingSha2Keys, checkCachingSha2 } from './caching-sha2-server.js';

export interface MysqlClientAuthContext {
  readonly conversation: AuthConversation;
  readonly response: packets.HandshakeResponse41;
  /** The greeting's seed, which the first auth response was computed with. */
  readonly seed: Buffer;
  readonly authenticator: Authenticator;
  /** Clear-text tokens are accepted only where nobody can read them on the way. */
  readonly privateChannel: boolean;
  readonly tls: boolean;
  /** Keys fake verifiers for unknown users, so they cannot be told from known ones. */
  readonly serverSecret: Buffer;
  readonly rsaKeyPair: CachingSha2Keys;
}

export type MysqlAuthMethod = 'mysql_native_password' | 'caching_sha2_password' | 'oidc';

export type MysqlAuthResult =
  | { readonly ok: true; readonly identity: Identity; readonly method: MysqlAuthMethod }
  | { readonly ok: false; readonly error: ServerError; readonly message: string; readonly logReason: string };

/** The MySQL verifiers of an account, or keyed stand-ins for a user that does not exist. */
interface PasswordVerifiers {
  readonly native: string | undefined;
  readonly cachingSha2: string | undefined;
}

/**
 * Service accounts prove their secret with mysql_native_password or caching_sha2_password against
 * the stored verifiers; anyone else, when an identity provider is configured, is switched to
 * mysql_clear_password and sends a JWT.
 */
export function authenticateClient(context: MysqlClientAuthContext): Promise<MysqlAuthResult> {
  const account = context.authenticator.findAccount(context.response.username);
  if (!account && context.authenticator.acceptsTokens) return authenticateToken(context);
  return authenticatePassword(context, account);
}

async function authenticatePassword(
  context: MysqlClientAuthContext,
  account: Account | undefined,
): Promise<MysqlAuthResult> {
  const { response, conversation } = context;
  const verifiers = account
    ? accountVerifiers(account)
    : unknownUserVerifiers(response.username, context.serverSecret);
  let plugin = response.authPluginName ?? AuthPlugin.nativePassword;
  let token = response.authResponse;
  let seed = context.seed;
  const usable =
    (plugin === AuthPlugin.nativePassword && verifiers.native !== undefined) ||
    plugin === AuthPlugin.cachingSha2Password;
  if (!usable) {
    // The client starts with a plugin whose verifier Sluice lacks, or one it does not speak.
    plugin = verifiers.native !== undefined ? AuthPlugin.nativePassword : AuthPlugin.cachingSha2Password;
    seed = createSeed();
    conversation.send(
      packets.AuthSwitchRequest.encode({
        kind: 'auth-switch-request',
        pluginName: plugin,
        pluginData: pluginDataForSeed(seed),
      }),
    );
    token = await conversation.receive();
  }
  const proven =
    plugin === AuthPlugin.nativePassword
      ? verifiers.native !== undefined && verifyNativePassword(token, seed, verifiers.native)
      : await checkCachingSha2({
          conversation,
          token,
          seed,
          cachedVerifier: verifiers.cachingSha2,
          fullVerifiers: account?.verifiers,
          tls: context.tls,
          keys: context.rsaKeyPair,
        });
  if (!proven || !account) return accessDenied(response.username, account ? 'wrong secret' : 'unknown user');
  const admitted = context.authenticator.admitAccount(account);
  if (!admitted.ok) {
    return {
      ok: false,
      error: ErrorCode.accessDenied,
      message: `sluice: ${admitted.reason}`,
      logReason: admitted.reason,
    };
  }
  const method = plugin === AuthPlugin.nativePassword ? 'mysql_native_password' : 'caching_sha2_password';
  return { ok: true, identity: admitted.identity, method };
}

async function authenticateToken(context: MysqlClientAuthContext): Promise<MysqlAuthResult> {
  const { response, conversation } = context;
  if (!context.privateChannel) {
    return {
      ok: false,
      error: ErrorCode.accessDenied,
      message: 'sluice: token logins need TLS or a loopback connection',
      logReason: 'token login over an unencrypted remote connection',
    };
  }
  let data = response.authResponse;
  if (response.authPluginName !== AuthPlugin.clearPassword) {
    conversation.send(
      packets.AuthSwitchRequest.encode({
        kind: 'auth-switch-request',
        pluginName: AuthPlugin.clearPassword,
        pluginData: Buffer.alloc(0),
      }),
    );
    data = await conversation.receive();
  }
  const token = clearText(data);
  if (!looksLikeJwt(token)) return accessDenied(response.username, 'password is not a token');
  const result = await context.authenticator.verifyToken(token);
  if (!result.ok) {
    return {
      ok: false,
      error: ErrorCode.accessDenied,
      message: `sluice: token rejected: ${result.reason}`,
      logReason: `token rejected: ${result.reason}`,
    };
  }
  return { ok: true, identity: result.identity, method: 'oidc' };
}

/** mysql_clear_password sends the password and a NUL; a client that leaves the NUL out is read as well. */
function clearText(data: Buffer): string {
  const end = data.indexOf(0);
  return data.subarray(0, end === -1 ? data.length : end).toString('utf8');
}

function accountVerifiers(account: Account): PasswordVerifiers {
  const native = account.verifiers.mysqlNative;
  const cachingSha2 = account.verifiers.cachingSha2;
  return {
    native: native !== undefined && parseMysqlNativeVerifier(native) ? native : undefined,
    cachingSha2: cachingSha2 !== undefined && parseCachingSha2Verifier(cachingSha2) ? cachingSha2 : undefined,
  };
}

/** Verifiers no secret matches, stable per user, so unknown users take the same path as known ones. */
function unknownUserVerifiers(user: string, serverSecret: Buffer): PasswordVerifiers {
  const keyed = (purpose: string, algorithm: 'sha1' | 'sha256'): Buffer =>
    createHmac(algorithm, serverSecret).update(`${purpose}\0${user}`).digest();
  return {
    native: `*${keyed('mysql-native', 'sha1').toString('hex').toUpperCase()}`,
    cachingSha2: keyed('caching-sha2', 'sha256').toString('hex'),
  };
}

function accessDenied(user: string, logReason: string): MysqlAuthResult {
  return {
    ok: false,
    error: ErrorCode.accessDenied,
    message: `sluice: access denied for user '${user}'`,
    logReason,
  };
}
