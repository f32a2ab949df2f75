import type { ConsoleOidcConfig, SluiceConfig } from '@sluice/config';
import { AdminError } from './errors.js';

export interface ProviderEndpoints {
  readonly authorization: string;
  readonly token: string;
}

/** What the console needs to send a person to the provider (nothing secret: PKCE needs no client secret). */
export interface ConsoleSignInJson {
  readonly oidc: {
    readonly issuer: string;
    readonly client_id: string;
    readonly scopes: readonly string[];
    readonly authorization_endpoint: string;
  } | null;
}

const TIMEOUT_MS = 10_000;

/**
 * The console's authorization-code sign-in: endpoints from config or the issuer's discovery
 * document (read once, again after a failure), and the code exchanged for tokens server-side.
 */
export class ConsoleOidc {
  private endpoints: Promise<ProviderEndpoints> | undefined;

  constructor(readonly settings: ConsoleOidcConfig) {}

  /** Refuses a configuration whose ID tokens the admin API could not verify. */
  static fromConfig(config: SluiceConfig): ConsoleOidc | undefined {
    const settings = config.admin?.oidc;
    if (!settings) return undefined;
    const same = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
    const verifiable = config.identity.oidc.some(
      (issuer) => same(issuer.issuer, settings.issuer) && issuer.audience === settings.clientId,
    );
    if (!verifiable) {
      throw new Error(
        `admin.oidc: identity.oidc has no issuer ${settings.issuer} with audience ${settings.clientId}; ` +
          'add one so the console’s ID tokens verify',
      );
    }
    return new ConsoleOidc(settings);
  }

  async signIn(): Promise<ConsoleSignInJson> {
    const { authorization } = await this.resolve();
    return {
      oidc: {
        issuer: this.settings.issuer,
        client_id: this.settings.clientId,
        scopes: this.settings.scopes,
        authorization_endpoint: authorization,
      },
    };
  }

  /** The ID token for an authorization code, as the provider's token endpoint answers. */
  async exchange(code: string, verifier: string, redirectUri: string): Promise<string> {
    const { token } = await this.resolve();
    let response: Response;
    try {
      response = await fetch(token, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: redirectUri,
          client_id: this.settings.clientId,
        }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new AdminError(502, `the identity provider's token endpoint ${token} cannot be reached`);
    }
    const body = (await response.json().catch(() => ({}))) as {
      id_token?: unknown;
      error_description?: unknown;
      error?: unknown;
    };
    if (!response.ok || typeof body.id_token !== 'string') {
      const why = String(body.error_description ?? body.error ?? `status ${response.status}`);
      throw new AdminError(401, `the identity provider refused the sign-in: ${why}`);
    }
    return body.id_token;
  }

  private resolve(): Promise<ProviderEndpoints> {
    const { authorizationEndpoint, tokenEndpoint } = this.settings;
    if (authorizationEndpoint && tokenEndpoint) {
      return Promise.resolve({ authorization: authorizationEndpoint, token: tokenEndpoint });
    }
    this.endpoints ??= this.discover().catch((error: unknown) => {
      this.endpoints = undefined;
      throw error;
    });
    return this.endpoints;
  }

  private async discover(): Promise<ProviderEndpoints> {
    const url = `${this.settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const failure = new AdminError(502, `the identity provider's discovery document ${url} cannot be read`);
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch(() => {
      throw failure;
    });
    if (!response.ok) throw failure;
    const document = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const authorization = this.settings.authorizationEndpoint ?? document.authorization_endpoint;
    const token = this.settings.tokenEndpoint ?? document.token_endpoint;
    if (typeof authorization !== 'string' || typeof token !== 'string') throw failure;
    return { authorization, token };
  }
}
