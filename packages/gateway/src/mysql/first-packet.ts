import type { Socket } from 'node:net';
import { MysqlWireError, PACKET_HEADER_BYTES } from '@sluice/wire-mysql';
import { ConnectionClosedError, HandshakeTimeoutError } from '../frame-reader.js';

export interface FirstPacket {
  readonly sequenceId: number;
  readonly payload: Buffer;
}

/**
 * Reads the client's first packet (SslRequest or HandshakeResponse41) and leaves every byte after
 * it unread on the socket. After an SslRequest the client starts TLS at once, without waiting
 * for an answer, so its ClientHello may arrive in the same chunk and must reach the TLS layer.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_ssl_request.html
 */
export function readFirstPacket(
  socket: Socket,
  maxPayloadBytes: number,
  timeoutMs: number,
): Promise<FirstPacket> {
  return new Promise((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => done(new HandshakeTimeoutError()), timeoutMs);
    const onData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      if (received.length < PACKET_HEADER_BYTES) return;
      const length = received.readUIntLE(0, 3);
      // A first packet is never split into 16 MiB pieces; anything this long is not a client.
      if (length > maxPayloadBytes) {
        done(
          new MysqlWireError(
            'packet-too-large',
            `first packet of ${length} bytes exceeds ${maxPayloadBytes} bytes`,
          ),
        );
        return;
      }
      const end = PACKET_HEADER_BYTES + length;
      if (received.length < end) return;
      socket.pause();
      if (received.length > end) socket.unshift(received.subarray(end));
      done({ sequenceId: received[3] ?? 0, payload: received.subarray(PACKET_HEADER_BYTES, end) });
    };
    const onClose = (): void => done(new ConnectionClosedError());
    const done = (result: FirstPacket | Error): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onClose);
      socket.off('close', onClose);
      socket.off('error', onClose);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    socket.on('data', onData);
    socket.on('end', onClose);
    socket.on('close', onClose);
    socket.on('error', onClose);
  });
}
