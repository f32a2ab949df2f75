import { MessageReader } from './reader.js';
import { FrameWriter } from './writer.js';

/** What every message's companion const offers. Frames passed to and returned from it are whole frames. */
export interface MessageCodec<M extends { readonly kind: string }> {
  /** The type byte, or for startup-phase messages the request code after the length. */
  readonly code: number;
  is(message: { readonly kind: string }): message is M;
  /** Throws WireError 'malformed' when the frame is truncated or inconsistent. */
  decode(frame: Buffer): M;
  encode(message: M): Buffer;
}

export function kindGuard<M extends { readonly kind: string }>(
  kind: M['kind'],
): (message: { readonly kind: string }) => message is M {
  return (message): message is M => message.kind === kind;
}

/** Messages that are only a type byte and the length 4 (Sync, ParseComplete, ...). */
export function emptyMessage<K extends string>(
  kind: K,
  code: number,
  messageName: string,
): MessageCodec<{ readonly kind: K }> {
  return {
    code,
    is: kindGuard<{ readonly kind: K }>(kind),
    decode(frame) {
      MessageReader.typed(frame, code, messageName).end();
      return { kind };
    },
    encode() {
      return FrameWriter.typed(code, 0).finish();
    },
  };
}
