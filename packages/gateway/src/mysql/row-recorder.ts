import { type CapabilityContext, ColumnFlag, ColumnType, packets } from '@sluice/wire-mysql';
import type { StatementRun } from '../postgres/reply-tracker.js';
import type { ResponseEvent } from './response-reader.js';

/** COM_QUERY results come as text rows, COM_STMT_EXECUTE and COM_STMT_FETCH ones as binary rows. */
export type RecordedFormat = 'text' | 'binary';

type MutableRecordedRows = { readonly columns: readonly string[]; readonly rows: (string | null)[][] };

/** Fixed-width binary integers: their byte width. */
const INTEGER_WIDTHS: ReadonlyMap<number, number> = new Map([
  [ColumnType.tiny, 1],
  [ColumnType.short, 2],
  [ColumnType.year, 2],
  [ColumnType.long, 4],
  [ColumnType.int24, 4],
  [ColumnType.longlong, 8],
]);

/**
 * Keeps the first rows of each result as the client received them (after masking), for
 * `sessions replay` (`journal.record_rows`). Only made when that is above 0.
 */
export class MysqlRowRecorder {
  private definitions: packets.ColumnDefinition41[] = [];

  constructor(
    private readonly limit: number,
    private readonly capabilities: CapabilityContext,
  ) {}

  /** Each reply packet as it goes to the client; `run` is the statement it belongs to. */
  observe(
    event: ResponseEvent,
    payload: Buffer,
    run: StatementRun | undefined,
    format: RecordedFormat,
  ): void {
    if (event.kind === 'column-count') {
      this.definitions = [];
      return;
    }
    if (event.kind === 'column-definition') {
      this.definitions.push(packets.ColumnDefinition41.decode(payload, this.capabilities));
      return;
    }
    if (event.kind !== 'row' || !run) return;
    run.recorded ??= { columns: this.definitions.map((definition) => definition.name), rows: [] };
    const recorded = run.recorded as MutableRecordedRows;
    if (recorded.rows.length >= this.limit) return;
    if (format === 'text') {
      recorded.rows.push(
        packets.TextRow.decode(payload).values.map((value) => value?.toString('utf8') ?? null),
      );
      return;
    }
    const { values } = packets.BinaryRow.decode(payload, this.definitions);
    recorded.rows.push(
      values.map((value, index) => (value === null ? null : shown(value, this.definitions[index]))),
    );
  }
}

/** A binary value as text: numbers read, strings decoded, the rest (dates, bits) in hex. */
function shown(value: Buffer, definition: packets.ColumnDefinition41 | undefined): string {
  if (!definition) return `\\x${value.toString('hex')}`;
  const unsigned = (definition.flags & ColumnFlag.unsigned) !== 0;
  const width = INTEGER_WIDTHS.get(definition.type);
  if (width !== undefined && value.length >= width) {
    if (width === 8) return String(unsigned ? value.readBigUInt64LE(0) : value.readBigInt64LE(0));
    return String(unsigned ? value.readUIntLE(0, width) : value.readIntLE(0, width));
  }
  if (definition.type === ColumnType.double && value.length >= 8) return String(value.readDoubleLE(0));
  if (definition.type === ColumnType.float && value.length >= 4) return String(value.readFloatLE(0));
  const textual = definition.characterSet !== BINARY_CHARSET || DECIMAL_OR_JSON.has(definition.type);
  return textual && !FIXED_TYPES.has(definition.type)
    ? value.toString('utf8')
    : `\\x${value.toString('hex')}`;
}

/** Sent in the binary character set, but as text. */
const DECIMAL_OR_JSON: ReadonlySet<number> = new Set([
  ColumnType.decimal,
  ColumnType.newdecimal,
  ColumnType.json,
]);

/** The `binary` character set: byte strings. */
const BINARY_CHARSET = 63;

/** Packed dates and times: shown as their bytes. */
const FIXED_TYPES: ReadonlySet<number> = new Set([
  ColumnType.date,
  ColumnType.time,
  ColumnType.datetime,
  ColumnType.timestamp,
  ColumnType.newdate,
  ColumnType.bit,
]);
