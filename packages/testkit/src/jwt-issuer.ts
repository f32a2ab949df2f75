import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface SignOptions {
  /** A jose time span (`'10m'`, `'-1h'`) or seconds from now (negative: already expired). */
  readonly expiresIn?: string | number;
  /** A jose time span or seconds from now, like `expiresIn`. */
  readonly notBefore?: string | number;
  readonly audience?: string;
  readonly issuer?: string;
  readonly subject?: string;
}

export interface JwksServer {
  /** The JWKS document's URL, for a `jwks_uri` setting. */
  readonly url: string;
  close(): Promise<void>;
}

/** A fake OIDC provider: one RS256 key, its JWKS as a file or over HTTP, and a token signer. */
export interface JwtIssuer {
  readonly issuer: string;
  readonly jwks: { keys: unknown[] };
  /** Writes the JWKS into `dir` and returns the file's path. */
  writeJwksFile(dir: string): string;
  /** Serves the JWKS over HTTP on 127.0.0.1 and a free port. */
  serveJwks(): Promise<JwksServer>;
  /** RS256 with `kid` set; `iat` now, `exp` in 10 minutes and `aud` 'sluice' unless told. */
  sign(claims: Record<string, unknown>, options?: SignOptions): Promise<string>;
}

const ALGORITHM = 'RS256';
const DEFAULT_AUDIENCE = 'sluice';
const DEFAULT_LIFETIME = '10m';
const JWKS_PATH = '/.well-known/jwks.json';

export async function makeJwtIssuer(issuer = 'https://issuer.test/'): Promise<JwtIssuer> {
  const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwk: JWK = { ...publicJwk, kid, alg: ALGORITHM, use: 'sig' };
  const jwks = { keys: [jwk] };
  const document = JSON.stringify(jwks);

  return {
    issuer,
    jwks,
    writeJwksFile(dir) {
      // Named by key so two issuers can share a directory.
      const path = join(dir, `jwks-${kid.slice(0, 12)}.json`);
      writeFileSync(path, document);
      return path;
    },
    serveJwks: () => serveDocument(document),
    sign(claims, options = {}) {
      const token = new SignJWT(claims)
        .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
        .setIssuedAt()
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? DEFAULT_AUDIENCE)
        .setExpirationTime(fromNow(options.expiresIn ?? DEFAULT_LIFETIME));
      if (options.notBefore !== undefined) token.setNotBefore(fromNow(options.notBefore));
      if (options.subject !== undefined) token.setSubject(options.subject);
      return token.sign(privateKey);
    },
  };
}

// jose reads a number as an absolute timestamp; callers here mean seconds from now.
function fromNow(span: string | number): string | number {
  return typeof span === 'number' ? Math.floor(Date.now() / 1000) + span : span;
}

function serveDocument(document: string): Promise<JwksServer> {
  const server = createServer((request, response) => {
    const found = request.method === 'GET' && request.url === JWKS_PATH;
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    response.end(found ? document : '{"error":"not found"}');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}${JWKS_PATH}`,
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            server.closeAllConnections();
          }),
      });
    });
  });
}
