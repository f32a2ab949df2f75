import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import {
  backend,
  decodeUntyped,
  errorMessage,
  type frontend,
  SqlState,
  WireError,
} from '@sluice/wire-postgres';
import { FrameReader } from '../frame-reader.js';
import { HANDSHAKE_TIMEOUT_MS, MAX_AUTH_FRAME_BYTES, MAX_STARTUP_FRAME_BYTES } from './limits.js';

const STARTUP_READER = {
  untyped: true,
  maxFrameBytes: MAX_STARTUP_FRAME_BYTES,
  typedMaxFrameBytes: MAX_AUTH_FRAME_BYTES,
} as const;

export type Negotiated =
  | {
      readonly kind: 'startup';
      readonly socket: Socket;
      readonly reader: FrameReader;
      readonly startup: frontend.StartupMessage;
      readonly tls: boolean;
    }
  | { readonly kind: 'cancel'; readonly request: frontend.CancelRequest }
  | { readonly kind: 'refused'; readonly reason: string };

const PROTOCOL_3_0 = 3 << 16;

/**
 * The untyped opening of a connection: SSLRequest / GSSENCRequest answered with one bare byte,
 * then a StartupMessage or a CancelRequest. https://www.postgresql.org/docs/current/protocol-flow.html
 */
export async function negotiate(socket: Socket, tlsContext: SecureContext | undefined): Promise<Negotiated> {
  let current = socket;
  let reader = new FrameReader(current, STARTUP_READER);
  let tls = false;
  for (;;) {
    let message: ReturnType<typeof decodeUntyped>;
    try {
      // A declared length out of bounds fails in the reader, a bad body in the decoder: both are
      // the client's protocol error, answered before the connection closes.
      message = decodeUntyped((await reader.next(HANDSHAKE_TIMEOUT_MS)).bytes);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      const code =
        error.code === 'unsupported-protocol' ? SqlState.featureNotSupported : SqlState.protocolViolation;
      return refuse(current, error.message, code);
    }
    switch (message.kind) {
      case 'ssl-request': {
        if (!tlsContext || tls) {
          current.write('N');
          continue;
        }
        // Bytes sent after SSLRequest but before the handshake could be injected by a
        // man in the middle and then read as if they came over TLS (CVE-2021-23214).
        if (reader.hasPending) return refuse(current, 'data received after SSLRequest');
        current.write('S');
        reader.detach();
        current = await startTls(current, tlsContext);
        reader = new FrameReader(current, STARTUP_READER);
        tls = true;
        continue;
      }
      case 'gssenc-request':
        current.write('N');
        continue;
      case 'cancel-request':
        reader.detach();
        current.end();
        return { kind: 'cancel', request: message };
      case 'startup':
        if (message.protocolVersion !== PROTOCOL_3_0) acceptNewerMinorVersion(current, message);
        return { kind: 'startup', socket: current, reader, startup: message, tls };
    }
  }
}

/** Clients asking for 3.x (x > 0) or sending `_pq_.` options are told what this server speaks. */
function acceptNewerMinorVersion(socket: Socket, startup: frontend.StartupMessage): void {
  const unrecognized = Object.keys(startup.parameters).filter((name) => name.startsWith('_pq_.'));
  socket.write(
    backend.NegotiateProtocolVersion.encode({
      kind: 'negotiate-protocol-version',
      newestMinorVersion: 0,
      unrecognizedOptions: unrecognized,
    }),
  );
}

function startTls(socket: Socket, secureContext: SecureContext): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = new TLSSocket(socket, { isServer: true, secureContext });
    secure.once('secure', () => resolve(secure));
    secure.once('error', reject);
    socket.once('close', () => reject(new Error('connection closed during TLS handshake')));
  });
}

function refuse(socket: Socket, reason: string, code: string = SqlState.protocolViolation): Negotiated {
  socket.end(errorMessage(code, `sluice: ${reason}`, 'FATAL'));
  return { kind: 'refused', reason };
}
