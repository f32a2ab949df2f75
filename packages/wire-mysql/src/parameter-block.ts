/**
 * The parameter block shared by COM_STMT_EXECUTE and COM_QUERY with query attributes: NULL bitmap,
 * new-params-bound flag, types (and with CLIENT_QUERY_ATTRIBUTES names), then the values.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html
 */
import { readBinaryValue, writeBinaryValue } from './binary-value.js';
import { UNSIGNED_PARAMETER_FLAG } from './codes.js';
import { readNullBitmap, writeNullBitmap } from './null-bitmap.js';
import type { PayloadReader } from './reader.js';
import { encodeError, type PayloadWriter } from './writer.js';

/** A parameter's declared type. `name` is '' for positional parameters and names query attributes. */
export interface ParameterType {
  readonly type: number;
  readonly unsigned: boolean;
  readonly name: string;
}

/**
 * Marks a parameter whose value was sent earlier with COM_STMT_SEND_LONG_DATA: COM_STMT_EXECUTE
 * then carries no bytes for it.
 */
export const LONG_DATA = 'long-data';

/** The bytes of the on-wire value (see `binary-value.ts`), null for SQL NULL, or LONG_DATA. */
export type ParameterValue = Buffer | null | typeof LONG_DATA;

export interface BoundParameter extends ParameterType {
  readonly value: ParameterValue;
}

export interface ParameterBlockLayout {
  readonly count: number;
  readonly withNames: boolean;
  /** Types bound by an earlier execute, for a block that does not resend them. */
  readonly boundTypes: readonly ParameterType[] | null;
  /** Indexes whose values came with COM_STMT_SEND_LONG_DATA. */
  readonly longDataParameters: ReadonlySet<number>;
}

export interface ParameterBlock {
  readonly newParamsBound: boolean;
  readonly parameters: readonly BoundParameter[];
}

export function readParameterBlock(reader: PayloadReader, layout: ParameterBlockLayout): ParameterBlock {
  const nulls = readNullBitmap(reader, layout.count, 0);
  const bound = reader.uint8();
  if (bound > 1) throw reader.malformed(`new-params-bound flag ${bound} is neither 0 nor 1`);
  let types: readonly ParameterType[];
  if (bound === 1) {
    const read: ParameterType[] = [];
    for (let index = 0; index < layout.count; index++) {
      const type = reader.uint8();
      const unsigned = (reader.uint8() & UNSIGNED_PARAMETER_FLAG) !== 0;
      read.push({ type, unsigned, name: layout.withNames ? reader.lenencString() : '' });
    }
    types = read;
  } else if (layout.boundTypes?.length === layout.count) {
    types = layout.boundTypes;
  } else {
    throw reader.malformed('parameter types were not resent and the types bound earlier are not known');
  }
  const parameters = types.map((type, index): BoundParameter => {
    let value: ParameterValue;
    if (layout.longDataParameters.has(index)) value = LONG_DATA;
    else if (nulls[index]) value = null;
    else value = readBinaryValue(reader, type.type);
    return { type: type.type, unsigned: type.unsigned, name: type.name, value };
  });
  return { newParamsBound: bound === 1, parameters };
}

export function writeParameterBlock(writer: PayloadWriter, block: ParameterBlock, withNames: boolean): void {
  writeNullBitmap(
    writer,
    block.parameters.map((parameter) => parameter.value === null),
    0,
  );
  writer.uint8(block.newParamsBound ? 1 : 0);
  if (block.newParamsBound) {
    for (const parameter of block.parameters) {
      writer.uint8(parameter.type).uint8(parameter.unsigned ? UNSIGNED_PARAMETER_FLAG : 0);
      if (withNames) writer.lenencString(parameter.name);
      else if (parameter.name !== '') throw encodeError('parameter names need CLIENT_QUERY_ATTRIBUTES');
    }
  }
  for (const parameter of block.parameters) {
    if (parameter.value !== null && parameter.value !== LONG_DATA) {
      writeBinaryValue(writer, parameter.type, parameter.value);
    }
  }
}
