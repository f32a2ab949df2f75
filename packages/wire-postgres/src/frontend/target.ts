import { TargetCode } from '../codes.js';
import type { MessageReader } from '../reader.js';
import type { FrameWriter } from '../writer.js';

/** What Describe and Close act on. */
export type Target = 'statement' | 'portal';

export function readTarget(reader: MessageReader): Target {
  const byte = String.fromCharCode(reader.uint8());
  if (byte === TargetCode.statement) return 'statement';
  if (byte === TargetCode.portal) return 'portal';
  throw reader.malformed(`unknown target '${byte}' (expected 'S' or 'P')`);
}

export function writeTarget(writer: FrameWriter, target: Target): FrameWriter {
  return writer.uint8(TargetCode[target].charCodeAt(0));
}
