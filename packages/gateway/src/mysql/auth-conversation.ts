import type { Socket } from 'node:net';
import { encodePackets, MysqlWireError } from '@sluice/wire-mysql';
import { HANDSHAKE_TIMEOUT_MS } from './limits.js';
import type { PacketReader } from './packet-reader.js';

/** A client broke the connection phase's rules (bad framing, a packet too large). */
export class AuthProtocolError extends Error {}

/**
 * The packets of the connection phase after the client's HandshakeResponse41, numbered as the
 * protocol requires: every packet's sequence id follows the previous one, whoever sent it.
 */
export class AuthConversation {
  constructor(
    private readonly socket: Socket,
    private readonly reader: PacketReader,
    private lastSequenceId: number,
  ) {}

  /** The sequence id Sluice's next packet to the client carries. */
  get nextSequenceId(): number {
    return (this.lastSequenceId + 1) % 256;
  }

  send(payload: Buffer): void {
    const sequenceId = this.nextSequenceId;
    this.socket.write(encodePackets(payload, sequenceId));
    this.lastSequenceId = sequenceId;
  }

  /** The client's next payload. Rejects when the client closes, times out or breaks the framing. */
  async receive(): Promise<Buffer> {
    try {
      const packet = await this.reader.next(HANDSHAKE_TIMEOUT_MS);
      this.lastSequenceId = packet.lastSequenceId;
      return packet.payload;
    } catch (error) {
      if (error instanceof MysqlWireError) throw new AuthProtocolError(error.message);
      throw error;
    }
  }
}
