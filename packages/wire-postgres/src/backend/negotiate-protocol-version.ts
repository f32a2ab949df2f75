import { BackendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** The server speaks an older minor version than asked for, or ignores some `_pq_.` options. */
export interface NegotiateProtocolVersion {
  readonly kind: 'negotiate-protocol-version';
  readonly newestMinorVersion: number;
  readonly unrecognizedOptions: readonly string[];
}

export const NegotiateProtocolVersion: MessageCodec<NegotiateProtocolVersion> = {
  code: BackendCode.negotiateProtocolVersion,
  is: kindGuard<NegotiateProtocolVersion>('negotiate-protocol-version'),
  decode(frame) {
    const reader = MessageReader.typed(
      frame,
      BackendCode.negotiateProtocolVersion,
      'NegotiateProtocolVersion',
    );
    const newestMinorVersion = reader.int32();
    const count = reader.int32();
    if (count < 0) throw reader.malformed(`negative option count ${count}`);
    const unrecognizedOptions: string[] = [];
    // Each option takes at least one byte, so the frame bounds the loop even for a huge count.
    for (let index = 0; index < count; index++) unrecognizedOptions.push(reader.cstring());
    reader.end();
    return { kind: 'negotiate-protocol-version', newestMinorVersion, unrecognizedOptions };
  },
  encode(message) {
    const writer = FrameWriter.typed(BackendCode.negotiateProtocolVersion)
      .int32(message.newestMinorVersion)
      .int32(message.unrecognizedOptions.length);
    for (const option of message.unrecognizedOptions) writer.cstring(option);
    return writer.finish();
  },
};
