import { FrontendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** A simple-protocol query string, possibly holding several statements. */
export interface Query {
  readonly kind: 'query';
  readonly text: string;
}

export const Query: MessageCodec<Query> = {
  code: FrontendCode.query,
  is: kindGuard<Query>('query'),
  decode(frame) {
    const reader = MessageReader.typed(frame, FrontendCode.query, 'Query');
    const text = reader.cstring();
    reader.end();
    return { kind: 'query', text };
  },
  encode(message) {
    return FrameWriter.typed(FrontendCode.query, message.text.length + 1)
      .cstring(message.text)
      .finish();
  },
};
