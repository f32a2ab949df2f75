import { RequestCode } from '../codes.js';
import { WireError } from '../errors.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { describeProtocolVersion, protocolMajor } from '../protocol-version.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

const PROTOCOL_MAJOR = 3;

/**
 * The first message of a session: protocol version then name/value pairs ending with an empty name.
 * Any 3.x version decodes (same layout); the caller negotiates the minor version down.
 */
export interface StartupMessage {
  readonly kind: 'startup';
  readonly protocolVersion: number;
  readonly parameters: Readonly<Record<string, string>>;
}

export const StartupMessage: MessageCodec<StartupMessage> = {
  code: RequestCode.protocol3,
  is: kindGuard<StartupMessage>('startup'),
  decode(frame) {
    const reader = MessageReader.untyped(frame, 'StartupMessage');
    const protocolVersion = reader.int32();
    if (protocolMajor(protocolVersion) !== PROTOCOL_MAJOR) {
      throw new WireError(
        'unsupported-protocol',
        `protocol ${describeProtocolVersion(protocolVersion)} is not supported (3.x only)`,
      );
    }
    // No prototype, so a parameter called "__proto__" is just a parameter.
    const parameters: Record<string, string> = Object.create(null);
    for (let name = reader.cstring(); name !== ''; name = reader.cstring()) {
      // A repeated name overrides the earlier one, as in the server's ProcessStartupPacket.
      parameters[name] = reader.cstring();
    }
    reader.end();
    return { kind: 'startup', protocolVersion, parameters };
  },
  encode(message) {
    const writer = FrameWriter.untyped().int32(message.protocolVersion);
    for (const [name, value] of Object.entries(message.parameters)) {
      if (name === '')
        throw new WireError('malformed', 'StartupMessage: an empty parameter name ends the list');
      writer.cstring(name).cstring(value);
    }
    return writer.uint8(0).finish();
  },
};
