/**
 * OK_Packet: success of a command, or (header 0xFE, with CLIENT_DEPRECATE_EOF) the end of a
 * result set. Assumes CLIENT_PROTOCOL_41, so status flags and warnings are always present.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html
 * https://mariadb.com/kb/en/ok_packet/
 */
import { Capability, hasCapability, PacketHeader, ServerStatus } from '../codes.js';
import { type CapabilityContext, kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { encodeError, PayloadWriter } from '../writer.js';

export interface OkPacket {
  readonly kind: 'ok-packet';
  /** True for the 0xFE header that ends a result set in place of EOF (CLIENT_DEPRECATE_EOF). */
  readonly endOfRows: boolean;
  readonly affectedRows: bigint;
  readonly lastInsertId: bigint;
  readonly statusFlags: number;
  readonly warnings: number;
  readonly info: string;
  /**
   * The raw session state information (see `decodeSessionStateChanges`); present exactly when
   * CLIENT_SESSION_TRACK is negotiated and SERVER_SESSION_STATE_CHANGED is set.
   */
  readonly sessionStateChanges: Buffer | null;
}

export const OkPacket: PacketCodec<OkPacket, CapabilityContext> = {
  is: kindGuard<OkPacket>('ok-packet'),
  decode(payload, context) {
    const reader = new PayloadReader(payload, 'OkPacket');
    const header = reader.uint8();
    if (header !== PacketHeader.ok && header !== PacketHeader.eof) {
      throw reader.malformed(`header 0x${header.toString(16)} is neither 0x00 nor 0xfe`);
    }
    const affectedRows = reader.lenencBigInt();
    const lastInsertId = reader.lenencBigInt();
    const statusFlags = reader.uint16();
    const warnings = reader.uint16();
    let info = '';
    let sessionStateChanges: Buffer | null = null;
    if (hasCapability(context.capabilities, Capability.sessionTrack)) {
      // Servers leave the info out entirely when it is empty and no state changed.
      if (reader.remaining > 0) info = reader.lenencString();
      if (hasCapability(statusFlags, ServerStatus.sessionStateChanged))
        sessionStateChanges = reader.lenencBytes();
    } else {
      info = reader.restString();
    }
    reader.end();
    return {
      kind: 'ok-packet',
      endOfRows: header === PacketHeader.eof,
      affectedRows,
      lastInsertId,
      statusFlags,
      warnings,
      info,
      sessionStateChanges,
    };
  },
  encode(message, context) {
    const writer = new PayloadWriter(16 + message.info.length + (message.sessionStateChanges?.length ?? 0))
      .uint8(message.endOfRows ? PacketHeader.eof : PacketHeader.ok)
      .lenencInt(message.affectedRows)
      .lenencInt(message.lastInsertId)
      .uint16(message.statusFlags)
      .uint16(message.warnings);
    const stateChanged = hasCapability(message.statusFlags, ServerStatus.sessionStateChanged);
    if (hasCapability(context.capabilities, Capability.sessionTrack)) {
      if (stateChanged !== (message.sessionStateChanges !== null)) {
        throw encodeError(
          'sessionStateChanges must be given exactly when SERVER_SESSION_STATE_CHANGED is set',
        );
      }
      if (message.sessionStateChanges !== null) {
        writer.lenencString(message.info).lenencBytes(message.sessionStateChanges);
      } else if (message.info !== '') {
        writer.lenencString(message.info);
      }
    } else {
      if (message.sessionStateChanges !== null) throw encodeError('session state needs CLIENT_SESSION_TRACK');
      writer.string(message.info);
    }
    return writer.finish();
  },
};
