import { type AccountVerifiers, verifySecret } from '@sluice/identity';
import {
  CachingSha2Marker,
  decryptPasswordWithPrivateKey,
  MysqlWireError,
  packets,
  passwordFromTerminated,
  verifyCachingSha2Scramble,
} from '@sluice/wire-mysql';
import type { AuthConversation } from './auth-conversation.js';
import type { RsaKeyPair } from './listener-state.js';

export type CachingSha2Keys = () => Promise<RsaKeyPair>;

export interface CachingSha2Check {
  readonly conversation: AuthConversation;
  readonly token: Buffer;
  readonly seed: Buffer;
  /** Hex SHA256(SHA256(secret)), the fast path's cache; undefined sends the client to full authentication. */
  readonly cachedVerifier: string | undefined;
  /** The account's verifiers for full authentication; undefined for an unknown user. */
  readonly fullVerifiers: Readonly<Record<string, string>> | undefined;
  readonly tls: boolean;
  readonly keys: CachingSha2Keys;
}

/**
 * The server side of caching_sha2_password. With a cached verifier the scramble decides (fast
 * path, answered 0x03). Without one the client must send the secret itself: in clear over TLS,
 * otherwise encrypted with the listener's RSA public key, which it may ask for first (0x02).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
 */
export async function checkCachingSha2(check: CachingSha2Check): Promise<boolean> {
  const { conversation } = check;
  if (check.cachedVerifier !== undefined) {
    if (!verifyCachingSha2Scramble(check.token, check.seed, check.cachedVerifier)) return false;
    conversation.send(moreData(Buffer.from([CachingSha2Marker.fastAuthSuccess])));
    return true;
  }
  conversation.send(moreData(Buffer.from([CachingSha2Marker.performFullAuthentication])));
  let reply = await conversation.receive();
  try {
    let secret: string;
    if (check.tls) {
      secret = passwordFromTerminated(reply);
    } else {
      const keys = await check.keys();
      if (reply.length === 1 && reply[0] === CachingSha2Marker.requestPublicKey) {
        conversation.send(moreData(Buffer.from(keys.publicKeyPem)));
        reply = await conversation.receive();
      }
      secret = decryptPasswordWithPrivateKey(reply, check.seed, keys.privateKeyPem);
    }
    return check.fullVerifiers !== undefined && verifySecret(secret, fullVerifiers(check.fullVerifiers));
  } catch (error) {
    if (error instanceof MysqlWireError) return false;
    throw error;
  }
}

function moreData(data: Buffer): Buffer {
  return packets.AuthMoreData.encode({ kind: 'auth-more-data', data });
}

function fullVerifiers(verifiers: Readonly<Record<string, string>>): AccountVerifiers {
  return {
    scramSha256: verifiers.scramSha256 ?? '',
    mysqlNative: verifiers.mysqlNative ?? '',
    cachingSha2: verifiers.cachingSha2 ?? '',
  };
}
