import { readFileSync } from 'node:fs';
import { connect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { UpstreamConfig } from '@sluice/config';
import { backend, frontend, md5Password, ScramClient } from '@sluice/wire-postgres';
import { FrameReader } from '../frame-reader.js';
import { MAX_SERVER_FRAME_BYTES, UPSTREAM_CONNECT_TIMEOUT_MS } from './limits.js';
import { SaltedPasswords } from './salted-passwords.js';

export interface UpstreamSession {
  readonly socket: Socket;
  readonly reader: FrameReader;
  /** Every ParameterStatus the server sent during startup, in order, as raw frames. */
  readonly parameterFrames: readonly Buffer[];
  readonly processId: number;
  readonly secretKey: Buffer;
  readonly status: 'I' | 'T' | 'E';
}

/** Why the upstream login failed; logged for operators, never shown to the client. */
export class UpstreamError extends Error {}

/** Startup parameters a client may not choose: the login is Sluice's, not the caller's. */
const RESERVED_PARAMETERS = new Set(['user', 'database', 'replication']);

/** Per upstream configuration, so a reloaded password or server starts afresh. */
const saltedPasswords = new WeakMap<UpstreamConfig, SaltedPasswords>();

function saltedPasswordsOf(upstream: UpstreamConfig): SaltedPasswords {
  let cache = saltedPasswords.get(upstream);
  if (cache === undefined) {
    cache = new SaltedPasswords();
    saltedPasswords.set(upstream, cache);
  }
  return cache;
}

/**
 * Opens a server connection with Sluice's own credentials and completes startup:
 * TLS (sslmode), authentication (trust, clear text, md5, SCRAM-SHA-256), parameters, key data.
 */
export async function connectUpstream(
  upstream: UpstreamConfig,
  clientParameters: Readonly<Record<string, string>>,
): Promise<UpstreamSession> {
  const socket = await openSocket(upstream);
  try {
    return await login(socket, upstream, clientParameters);
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

async function openSocket(upstream: UpstreamConfig): Promise<Socket> {
  const plain = await new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    socket.setNoDelay(true);
    socket.setTimeout(UPSTREAM_CONNECT_TIMEOUT_MS, () =>
      socket.destroy(new UpstreamError('timed out connecting to the server')),
    );
    socket.once('connect', () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('error', (error) => reject(new UpstreamError(`cannot reach the server: ${error.message}`)));
  });
  if (upstream.sslMode === 'disable') return plain;

  plain.write(frontend.SslRequest.encode({ kind: 'ssl-request' }));
  const answer = await readOneByte(plain);
  if (answer !== 'S') {
    if (upstream.sslMode === 'prefer') return plain;
    plain.destroy();
    throw new UpstreamError(`the server refused TLS (sslmode=${upstream.sslMode})`);
  }
  const verify = upstream.sslMode === 'verify-ca' || upstream.sslMode === 'verify-full';
  return new Promise<Socket>((resolve, reject) => {
    const secure = tlsConnect({
      socket: plain,
      // SNI takes host names only; Node checks an IP address against the certificate's SANs.
      ...(isIP(upstream.host) === 0 ? { servername: upstream.host } : {}),
      rejectUnauthorized: verify,
      ca: upstream.sslRootCert ? readFileSync(upstream.sslRootCert) : undefined,
      // verify-full keeps Node's own host name check; the other modes skip it.
      ...(upstream.sslMode === 'verify-full' ? {} : { checkServerIdentity: () => undefined }),
    });
    secure.once('secureConnect', () => resolve(secure));
    secure.once('error', (error) => reject(new UpstreamError(`TLS to the server failed: ${error.message}`)));
  });
}

function readOneByte(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      socket.off('error', onError);
      // The answer to SSLRequest is a single byte; anything more is a protocol violation.
      if (chunk.length !== 1) reject(new UpstreamError('unexpected answer to SSLRequest'));
      else resolve(String.fromCharCode(chunk[0] ?? 0));
    };
    const onError = (error: Error): void => {
      socket.off('data', onData);
      reject(new UpstreamError(error.message));
    };
    socket.once('data', onData);
    socket.once('error', onError);
  });
}

async function login(
  socket: Socket,
  upstream: UpstreamConfig,
  clientParameters: Readonly<Record<string, string>>,
): Promise<UpstreamSession> {
  const reader = new FrameReader(socket, { untyped: false, maxFrameBytes: MAX_SERVER_FRAME_BYTES });
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(clientParameters)) {
    if (!RESERVED_PARAMETERS.has(name) && !name.startsWith('_pq_.')) parameters[name] = value;
  }
  parameters.user = upstream.user;
  parameters.database = upstream.database;
  socket.write(frontend.StartupMessage.encode({ kind: 'startup', protocolVersion: 3 << 16, parameters }));

  let scram: ScramClient | undefined;
  const parameterFrames: Buffer[] = [];
  let key: backend.BackendKeyData | undefined;
  for (;;) {
    const frame = await reader.next(UPSTREAM_CONNECT_TIMEOUT_MS);
    switch (frame.code) {
      case backend.Authentication.code:
        scram = answerAuthentication(socket, upstream, backend.Authentication.decode(frame.bytes), scram);
        break;
      case backend.ParameterStatus.code:
        parameterFrames.push(Buffer.from(frame.bytes));
        break;
      case backend.BackendKeyData.code:
        key = backend.BackendKeyData.decode(frame.bytes);
        break;
      case backend.NoticeResponse.code:
      case backend.NegotiateProtocolVersion.code:
        break;
      case backend.ErrorResponse.code: {
        const fields = backend.ErrorResponse.decode(frame.bytes).fields;
        throw new UpstreamError(
          `server refused the login: ${fields.get('C') ?? ''} ${fields.get('M') ?? ''}`,
        );
      }
      case backend.ReadyForQuery.code: {
        if (!key) throw new UpstreamError('server sent no BackendKeyData');
        const { status } = backend.ReadyForQuery.decode(frame.bytes);
        return {
          socket,
          reader,
          parameterFrames,
          processId: key.processId,
          secretKey: key.secretKey,
          status,
        };
      }
      default:
        throw new UpstreamError(`unexpected message '${String.fromCharCode(frame.code)}' during startup`);
    }
  }
}

function answerAuthentication(
  socket: Socket,
  upstream: UpstreamConfig,
  request: backend.Authentication,
  scram: ScramClient | undefined,
): ScramClient | undefined {
  const password = (): string => {
    if (!upstream.password) throw new UpstreamError('the server asks for a password and none is configured');
    return upstream.password.reveal();
  };
  switch (request.kind) {
    case 'authentication-ok':
      return scram;
    case 'authentication-cleartext-password':
      socket.write(frontend.PasswordMessage.encode({ kind: 'password', password: password() }));
      return scram;
    case 'authentication-md5-password':
      socket.write(
        frontend.PasswordMessage.encode({
          kind: 'password',
          password: md5Password(upstream.user, password(), request.salt),
        }),
      );
      return scram;
    case 'authentication-sasl': {
      if (!request.mechanisms.includes('SCRAM-SHA-256')) {
        throw new UpstreamError(`no supported SASL mechanism among ${request.mechanisms.join(', ')}`);
      }
      const client = new ScramClient(password(), undefined, saltedPasswordsOf(upstream).of);
      socket.write(
        frontend.SaslInitialResponse.encode({
          kind: 'sasl-initial-response',
          mechanism: 'SCRAM-SHA-256',
          data: client.clientFirst(),
        }),
      );
      return client;
    }
    case 'authentication-sasl-continue':
      if (!scram) throw new UpstreamError('SASL continue without a SASL exchange');
      socket.write(
        frontend.SaslResponse.encode({ kind: 'sasl-response', data: scram.clientFinal(request.data) }),
      );
      return scram;
    case 'authentication-sasl-final':
      if (!scram?.verifyServerFinal(request.data)) {
        throw new UpstreamError('the server failed to prove it knows the password (SCRAM)');
      }
      return scram;
    case 'authentication-unsupported':
      throw new UpstreamError(`unsupported authentication method ${request.method}`);
  }
}
