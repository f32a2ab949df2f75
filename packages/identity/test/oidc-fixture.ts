import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { OidcIssuerOptions } from '../src/index.js';

export const ISSUER = 'https://login.example.com/';
export const AUDIENCE = 'sluice';

export interface SigningKey {
  readonly alg: string;
  readonly kid: string | undefined;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function signingKey(alg: string, kid: string | undefined): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), alg, use: 'sig' };
  if (kid !== undefined) publicJwk.kid = kid;
  return { alg, kid, privateKey, publicJwk };
}

/** Claims a typical IdP puts in an access token; `overrides` with `undefined` drops a claim. */
export function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  const base: Record<string, unknown> = {
    iss: 'https://login.example.com/',
    aud: AUDIENCE,
    sub: 'agent-7',
    email: 'agent7@example.com',
    groups: ['analysts', 'oncall'],
    iat: now,
    exp: now + 600,
  };
  const merged = { ...base, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

export async function sign(key: SigningKey, payload: JWTPayload = claims()): Promise<string> {
  const header = key.kid === undefined ? { alg: key.alg } : { alg: key.alg, kid: key.kid };
  return new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
}

export function issuerOptions(overrides: Partial<OidcIssuerOptions>): OidcIssuerOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: undefined,
    jwksFile: undefined,
    groupsClaim: 'groups',
    identityClaim: 'sub',
    ...overrides,
  };
}

export async function withTempDir(): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-identity-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeJwksFile(
  dir: string,
  keys: readonly SigningKey[],
  name = 'jwks.json',
): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
  return path;
}

export interface JwksServer {
  readonly uri: string;
  readonly requests: () => number;
  close(): Promise<void>;
}

/** Serves a JWKS over HTTP on 127.0.0.1, or answers `status` without keys. */
export async function serveJwks(keys: readonly SigningKey[], status = 200): Promise<JwksServer> {
  let requests = 0;
  const body = JSON.stringify({ keys: keys.map((key) => key.publicJwk) });
  const server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? body : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('JWKS server has no TCP address');
  return {
    uri: `http://127.0.0.1:${address.port}/jwks.json`,
    requests: () => requests,
    close: () => closeServer(server),
  };
}

/** A URI on a port that was just free and now has no listener. */
export async function unreachableUri(): Promise<string> {
  const server = await serveJwks([]);
  await server.close();
  return server.uri;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
