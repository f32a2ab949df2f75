import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** A chunk of a COPY data stream; the same bytes in both directions. `data` is a view into the frame. */
export interface CopyData {
  readonly kind: 'copy-data';
  readonly data: Buffer;
}

export const CopyData: MessageCodec<CopyData> = {
  code: FrontendCode.copyData,
  is: kindGuard<CopyData>('copy-data'),
  decode(frame) {
    const data = MessageReader.typed(frame, FrontendCode.copyData, 'CopyData').rest();
    return { kind: 'copy-data', data };
  },
  encode(message) {
    return FrameWriter.typed(FrontendCode.copyData, message.data.length).bytes(message.data).finish();
  },
};
