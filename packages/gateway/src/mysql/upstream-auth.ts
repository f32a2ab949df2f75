import type { UpstreamConfig } from '@sluice/config';
import {
  AuthPlugin,
  CachingSha2Marker,
  cachingSha2Scramble,
  clearPasswordResponse,
  encryptPasswordWithPublicKey,
  nativePasswordScramble,
  type packets,
  seedFromPluginData,
} from '@sluice/wire-mysql';
import { UpstreamError } from './upstream-error.js';

type ExchangeState = 'token-sent' | 'awaiting-public-key' | 'finished';

/**
 * Sluice's side of the upstream authentication, as a MySQL client: the first response, answers
 * to auth switches, and caching_sha2_password's AuthMoreData steps.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
 */
export class UpstreamAuthExchange {
  pluginName: string;
  private seed: Buffer;
  private state: ExchangeState = 'token-sent';

  constructor(
    private readonly upstream: UpstreamConfig,
    greeting: packets.InitialHandshake,
    private readonly tls: boolean,
  ) {
    this.seed = seedFromPluginData(greeting.authPluginData);
    const offered = greeting.authPluginName ?? AuthPlugin.nativePassword;
    // A plugin Sluice cannot speak is answered with native; the server then switches to the
    // plugin the account really uses, or refuses.
    this.pluginName = isSupported(offered) ? offered : AuthPlugin.nativePassword;
  }

  initialResponse(): Buffer {
    return this.responseFor(this.pluginName);
  }

  switchTo(request: packets.AuthSwitchRequest): Buffer {
    if (!isSupported(request.pluginName)) {
      throw new UpstreamError(`the server asks for the unsupported auth plugin ${request.pluginName}`);
    }
    this.pluginName = request.pluginName;
    if (request.pluginName !== AuthPlugin.clearPassword) this.seed = seedFromPluginData(request.pluginData);
    this.state = 'token-sent';
    return this.responseFor(request.pluginName);
  }

  /** The answer to AuthMoreData, or null when the server only reports progress. */
  moreData(data: Buffer): Buffer | null {
    if (this.pluginName !== AuthPlugin.cachingSha2Password) {
      throw new UpstreamError(`unexpected AuthMoreData for ${this.pluginName}`);
    }
    if (this.state === 'token-sent' && data.length === 1) {
      if (data[0] === CachingSha2Marker.fastAuthSuccess) {
        this.state = 'finished';
        return null;
      }
      if (data[0] === CachingSha2Marker.performFullAuthentication) {
        if (this.tls) {
          this.state = 'finished';
          return clearPasswordResponse(this.password());
        }
        this.state = 'awaiting-public-key';
        return Buffer.from([CachingSha2Marker.requestPublicKey]);
      }
    }
    if (this.state === 'awaiting-public-key') {
      this.state = 'finished';
      return encryptPasswordWithPublicKey(this.password(), this.seed, data);
    }
    throw new UpstreamError('unexpected AuthMoreData in caching_sha2_password');
  }

  private responseFor(plugin: string): Buffer {
    switch (plugin) {
      case AuthPlugin.cachingSha2Password:
        return cachingSha2Scramble(this.password(), this.seed);
      case AuthPlugin.clearPassword:
        if (!this.tls) {
          throw new UpstreamError(
            'the server asks for mysql_clear_password without TLS; use sslmode=require',
          );
        }
        return clearPasswordResponse(this.password());
      default:
        return nativePasswordScramble(this.password(), this.seed);
    }
  }

  private password(): string {
    return this.upstream.password?.reveal() ?? '';
  }
}

function isSupported(plugin: string): boolean {
  return (
    plugin === AuthPlugin.nativePassword ||
    plugin === AuthPlugin.cachingSha2Password ||
    plugin === AuthPlugin.clearPassword
  );
}
