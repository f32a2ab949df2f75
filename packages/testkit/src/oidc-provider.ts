import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JwtIssuer, makeJwtIssuer } from './jwt-issuer.js';

/** Who the provider signs in next; a test sets it before a browser visits the authorization endpoint. */
export interface ProviderUser {
  readonly sub: string;
  readonly groups?: readonly string[];
}

/**
 * A test OIDC provider over HTTP on 127.0.0.1: discovery, JWKS, an authorization endpoint that
 * signs in `user` at once (no login form) and redirects with a code, and a token endpoint that
 * checks the code, client, redirect URI and PKCE verifier (S256) before issuing an ID token.
 */
export interface OidcProvider {
  /** `http://127.0.0.1:<port>/`, the `iss` of its tokens. */
  readonly issuer: string;
  readonly signer: JwtIssuer;
  user: ProviderUser;
  /** Every token request refused, with why, for tests to read. */
  readonly refusals: string[];
  close(): Promise<void>;
}

interface Grant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly nonce: string | null;
  readonly user: ProviderUser;
}

export async function startOidcProvider(user: ProviderUser = { sub: 'alice' }): Promise<OidcProvider> {
  const codes = new Map<string, Grant>();
  const refusals: string[] = [];
  let signer: JwtIssuer | undefined;
  const provider = { user } as { user: ProviderUser };
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => reply(response, 500, { error: String(error) }));
  });
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', issuer);
    if (!signer) return reply(response, 503, { error: 'starting' });
    if (request.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return reply(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}authorize`,
        token_endpoint: `${issuer}token`,
        jwks_uri: `${issuer}jwks.json`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (request.method === 'GET' && url.pathname === '/jwks.json') return reply(response, 200, signer.jwks);
    if (request.method === 'GET' && url.pathname === '/authorize') return authorize(url, response);
    if (request.method === 'POST' && url.pathname === '/token') return token(await formOf(request), response);
    return reply(response, 404, { error: 'not_found' });
  };
  const authorize = (url: URL, response: ServerResponse): void => {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri');
    const challenge = query.get('code_challenge');
    if (query.get('response_type') !== 'code' || !redirectUri || !query.get('client_id')) {
      reply(response, 400, { error: 'invalid_request' });
      return;
    }
    if (!challenge || query.get('code_challenge_method') !== 'S256') {
      reply(response, 400, { error: 'invalid_request', error_description: 'PKCE S256 is required' });
      return;
    }
    const code = randomBytes(16).toString('base64url');
    codes.set(code, {
      clientId: query.get('client_id') ?? '',
      redirectUri,
      challenge,
      nonce: query.get('nonce'),
      user: provider.user,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state) target.searchParams.set('state', state);
    response.writeHead(302, { location: target.toString() });
    response.end();
  };
  const token = async (form: URLSearchParams, response: ServerResponse): Promise<void> => {
    const code = form.get('code') ?? '';
    const grant = codes.get(code);
    codes.delete(code);
    const refuse = (why: string) => {
      refusals.push(why);
      reply(response, 400, { error: 'invalid_grant', error_description: why });
    };
    if (form.get('grant_type') !== 'authorization_code')
      return refuse('grant_type must be authorization_code');
    if (!grant) return refuse('unknown or used code');
    if (form.get('client_id') !== grant.clientId) return refuse('client_id does not match');
    if (form.get('redirect_uri') !== grant.redirectUri) return refuse('redirect_uri does not match');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
      return refuse('code_verifier does not match the challenge');
    }
    const claims: Record<string, unknown> = { sub: grant.user.sub, groups: grant.user.groups ?? [] };
    if (grant.nonce) claims.nonce = grant.nonce;
    const idToken = await signer?.sign(claims, { audience: grant.clientId });
    reply(response, 200, { id_token: idToken, access_token: idToken, token_type: 'Bearer', expires_in: 600 });
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  signer = await makeJwtIssuer(issuer);
  return Object.assign(provider, {
    issuer,
    signer,
    refusals,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
