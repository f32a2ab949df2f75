import type { MessageReader } from './reader.js';
import type { FrameWriter } from './writer.js';

/** A list of format codes (0 text, 1 binary) preceded by its Int16 count. */
export function readFormats(reader: MessageReader): number[] {
  const count = reader.uint16();
  const formats: number[] = [];
  for (let index = 0; index < count; index++) formats.push(reader.int16());
  return formats;
}

export function writeFormats(writer: FrameWriter, formats: readonly number[]): FrameWriter {
  writer.uint16(formats.length);
  for (const format of formats) writer.int16(format);
  return writer;
}
