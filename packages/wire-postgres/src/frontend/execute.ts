import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** Runs a portal; `maxRows` 0 means no limit, otherwise the server may answer PortalSuspended. */
export interface Execute {
  readonly kind: 'execute';
  readonly portal: string;
  readonly maxRows: number;
}

export const Execute: MessageCodec<Execute> = {
  code: FrontendCode.execute,
  is: kindGuard<Execute>('execute'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.execute, 'Execute');
    const portal = reader.cstring();
    const maxRows = reader.int32();
    reader.end();
    return { kind: 'execute', portal, maxRows };
  },
  encode(message) {
    return FrameWriter.typed(FrontendCode.execute, message.portal.length + 5)
      .cstring(message.portal)
      .int32(message.maxRows)
      .finish();
  },
};
