import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Secret } from './secret.js';
import { type Protocol, SSL_MODES, type SslMode, type UpstreamConfig } from './types.js';

export const UPSTREAM_EXAMPLE =
  'a URL such as postgres://user@host:5432/database or mysql://user@host:3306/database';

const PROTOCOL_BY_SCHEME: Readonly<Record<string, Protocol>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
};

export const SCHEMES_BY_PROTOCOL: Readonly<Record<Protocol, readonly string[]>> = {
  postgres: ['postgres', 'postgresql'],
  mysql: ['mysql'],
};

const DEFAULT_PORT: Readonly<Record<Protocol, number>> = { postgres: 5432, mysql: 3306 };

const QUERY_PARAMETERS = ['sslmode', 'sslrootcert'] as const;

export type UpstreamParse =
  | { readonly ok: true; readonly upstream: UpstreamConfig }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The scheme before `://`, lower-cased, or undefined when the text has none. */
export function schemeOf(text: string): string | undefined {
  return /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1]?.toLowerCase();
}

/**
 * Reads an upstream URL. Problems never quote the URL: it may carry a password.
 * `sslrootcert` is resolved against `baseDir` and must exist.
 */
export function parseUpstreamUrl(text: string, baseDir: string): UpstreamParse {
  const scheme = schemeOf(text);
  if (scheme === undefined) return { ok: false, problems: [`expected ${UPSTREAM_EXAMPLE}`] };
  const protocol = PROTOCOL_BY_SCHEME[scheme];
  if (protocol === undefined) {
    return {
      ok: false,
      problems: [`unsupported scheme ${scheme}://; use postgres://, postgresql:// or mysql://`],
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      problems: [`not a valid URL (percent-encode @ : / in user or password); expected ${UPSTREAM_EXAMPLE}`],
    };
  }
  const problems: string[] = [];
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') problems.push(`has no host; expected ${UPSTREAM_EXAMPLE}`);
  const user = decoded(url.username);
  if (user === '') problems.push(`has no user; expected ${scheme}://USER@host/database`);
  const password = decoded(url.password);
  const port = url.port === '' ? DEFAULT_PORT[protocol] : Number(url.port);
  if (port === 0) problems.push('port 0 is not a server port; expected 1 to 65535');
  const database = decoded(url.pathname.replace(/^\//, ''));
  if (database !== undefined && (database === '' || database.includes('/'))) {
    problems.push(`expected one database name after the host, as in ${scheme}://user@host/DATABASE`);
  }
  if (user === undefined || password === undefined || database === undefined) {
    problems.push('has a malformed %-escape in user, password or database');
  }
  const options = readQuery(url.searchParams, baseDir, problems);
  if (problems.length > 0 || user === undefined || password === undefined || database === undefined) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    upstream: {
      protocol,
      host,
      port,
      user,
      database,
      password: password === '' ? undefined : new Secret(password),
      sslMode: options.sslMode,
      sslRootCert: options.sslRootCert,
    },
  };
}

function readQuery(
  parameters: URLSearchParams,
  baseDir: string,
  problems: string[],
): { sslMode: SslMode; sslRootCert: string | undefined } {
  for (const name of new Set(parameters.keys())) {
    if (!(QUERY_PARAMETERS as readonly string[]).includes(name)) {
      problems.push(`unknown URL parameter "${name}"; allowed parameters: ${QUERY_PARAMETERS.join(', ')}`);
    }
  }
  const sslModeText = parameters.get('sslmode') ?? 'disable';
  const sslMode = SSL_MODES.find((mode) => mode === sslModeText);
  if (sslMode === undefined) problems.push(`sslmode must be one of ${SSL_MODES.join(', ')}`);
  const rootCertText = parameters.get('sslrootcert');
  const sslRootCert = rootCertText ? resolve(baseDir, rootCertText) : undefined;
  if (sslRootCert !== undefined && !existsSync(sslRootCert)) {
    problems.push(
      `sslrootcert file ${sslRootCert} does not exist; give the path of the CA certificate (PEM)`,
    );
  }
  return { sslMode: sslMode ?? 'disable', sslRootCert };
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
