import { BackendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** One output column. `tableOid` / `columnAttribute` are 0 when the column is not a plain table column. */
export interface FieldDescription {
  readonly name: string;
  readonly tableOid: number;
  readonly columnAttribute: number;
  readonly typeOid: number;
  /** Negative for variable-width types (-1 varlena, -2 C string). */
  readonly typeSize: number;
  readonly typeModifier: number;
  /** 0 text, 1 binary; 0 in replies to Describe of a statement, where the format is not known yet. */
  readonly format: number;
}

/** The columns of the rows that follow. */
export interface RowDescription {
  readonly kind: 'row-description';
  readonly fields: readonly FieldDescription[];
}

const FIXED_FIELD_BYTES = 18;

export const RowDescription: MessageCodec<RowDescription> = {
  code: BackendCode.rowDescription,
  is: kindGuard<RowDescription>('row-description'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.rowDescription, 'RowDescription');
    const count = reader.uint16();
    const fields: FieldDescription[] = [];
    for (let index = 0; index < count; index++) {
      fields.push({
        name: reader.cstring(),
        tableOid: reader.uint32(),
        columnAttribute: reader.int16(),
        typeOid: reader.uint32(),
        typeSize: reader.int16(),
        typeModifier: reader.int32(),
        format: reader.int16(),
      });
    }
    reader.end();
    return { kind: 'row-description', fields };
  },
  encode(message) {
    const writer = FrameWriter.typed(
      BackendCode.rowDescription,
      2 + message.fields.length * (FIXED_FIELD_BYTES + 16),
    );
    writer.uint16(message.fields.length);
    for (const field of message.fields) {
      writer
        .cstring(field.name)
        .uint32(field.tableOid)
        .int16(field.columnAttribute)
        .uint32(field.typeOid)
        .int16(field.typeSize)
        .int32(field.typeModifier)
        .int16(field.format);
    }
    return writer.finish();
  },
};
