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
    // Chunks are joined once the packet is complete: joining on every chunk cost an
    // unauthenticated client sending 64 KiB a byte at a time 1.4 s of the event loop.
    let chunks: Buffer[] = [];
    let receivedBytes = 0;
    let length: number | undefined;
    const timer = setTimeout(() => done(new HandshakeTimeoutError()), timeoutMs);
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      receivedBytes += chunk.length;
      if (receivedBytes < PACKET_HEADER_BYTES) return;
      if (length === undefined) {
        chunks = [Buffer.concat(chunks, receivedBytes)];
        length = (chunks[0] as Buffer).readUIntLE(0, 3);
      }
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
      if (receivedBytes < end) return;
      const received = Buffer.concat(chunks, receivedBytes);
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
