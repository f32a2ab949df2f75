import type { DetectorName } from '@sluice/config';
import { type ColumnMask, elementMask, type ResultColumn, valueKindOf } from '@sluice/masking';
import type { SessionMasking } from '../session-masking.js';
import {
  type ArrayItems,
  formatArrayBinary,
  formatArrayText,
  parseArrayBinary,
  parseArrayText,
} from './array-values.js';
import { formatRecordBinary, formatRecordText, parseRecordBinary, parseRecordText } from './record-values.js';
import { decodeBinaryNumber, decodeByteaText, encodeBinaryNumber, encodeByteaText } from './scalar-values.js';
import type { ValueShape, ValueShapes } from './value-shapes.js';
import { JSONB_VERSION } from './value-types.js';

/** What to do with one value: mask it by a rule, or (no rule) let the detectors scan it. */
export interface ValueRule {
  readonly mask: ColumnMask | null;
  readonly scan: boolean;
}

/** Counts values the detectors changed, for the journal. */
export interface DetectorCount {
  detectorMatches: number;
}

type FieldRules = readonly ValueRule[];

/**
 * Masks values whose type a text mask does not fit as they are: inside arrays and row values
 * (each element by its own rule, the structure re-encoded), byte strings (their bytes as text),
 * and numbers in binary format. Returns the new bytes, null for SQL NULL, or undefined when the
 * value stays as it is.
 */
export class TypedValueMasking {
  private readonly fieldRules = new Map<number, FieldRules>();

  constructor(
    private readonly session: SessionMasking,
    private readonly shapes: ValueShapes,
    private readonly detectors: readonly DetectorName[],
    private readonly columnsOf: (table: string) => readonly string[] | null,
  ) {}

  mask(
    shape: ValueShape,
    binary: boolean,
    bytes: Buffer,
    rule: ValueRule,
    count: DetectorCount,
  ): Buffer | null | undefined {
    switch (shape.kind) {
      case 'array':
        return binary
          ? this.binaryArray(shape, bytes, rule, count)
          : this.textArray(shape, bytes, rule, count);
      case 'record':
        return binary
          ? this.binaryRecord(shape, bytes, rule, count)
          : this.textRecord(shape, bytes, rule, count);
      default:
        return this.scalar(shape, binary, bytes, rule, count);
    }
  }

  private textArray(
    shape: Extract<ValueShape, { kind: 'array' }>,
    bytes: Buffer,
    rule: ValueRule,
    count: DetectorCount,
  ) {
    const array = parseArrayText(bytes.toString('utf8'), shape.delimiter);
    if (array === null) return this.unreadable(bytes, false, rule, count);
    let changed = false;
    const walk = (items: ArrayItems): ArrayItems =>
      items.map((item) => {
        if (item === null) return null;
        if (Array.isArray(item)) return walk(item);
        const next = this.mask(shape.element, false, Buffer.from(item, 'utf8'), rule, count);
        if (next === undefined) return item;
        changed = true;
        return next === null ? null : next.toString('utf8');
      });
    const items = walk(array.items);
    return changed
      ? Buffer.from(formatArrayText({ bounds: array.bounds, items }, shape.delimiter), 'utf8')
      : undefined;
  }

  private binaryArray(
    shape: Extract<ValueShape, { kind: 'array' }>,
    bytes: Buffer,
    rule: ValueRule,
    count: DetectorCount,
  ) {
    const array = parseArrayBinary(bytes);
    if (array === null) return this.unreadable(bytes, true, rule, count);
    let changed = false;
    const elements = array.elements.map((element) => {
      if (element === null) return null;
      const next = this.mask(shape.element, true, element, rule, count);
      if (next === undefined) return element;
      changed = true;
      return next;
    });
    return changed ? formatArrayBinary({ ...array, elements }) : undefined;
  }

  private textRecord(
    shape: Extract<ValueShape, { kind: 'record' }>,
    bytes: Buffer,
    rule: ValueRule,
    count: DetectorCount,
  ) {
    const fields = parseRecordText(bytes.toString('utf8'));
    if (fields === null) return this.unreadable(bytes, false, rule, count);
    const rules = this.rulesOf(shape, rule, fields.length);
    let changed = false;
    const masked = fields.map((field, index) => {
      if (field === null) return null;
      const fieldShape = shape.fields?.[index]?.shape ?? UNKNOWN_TEXT;
      const next = this.mask(fieldShape, false, Buffer.from(field, 'utf8'), rules[index] ?? rule, count);
      if (next === undefined) return field;
      changed = true;
      return next === null ? null : next.toString('utf8');
    });
    return changed ? Buffer.from(formatRecordText(masked), 'utf8') : undefined;
  }

  private binaryRecord(
    shape: Extract<ValueShape, { kind: 'record' }>,
    bytes: Buffer,
    rule: ValueRule,
    count: DetectorCount,
  ) {
    const fields = parseRecordBinary(bytes);
    if (fields === null) return this.unreadable(bytes, true, rule, count);
    const rules = this.rulesOf(shape, rule, fields.length);
    let changed = false;
    const masked = fields.map((field, index) => {
      if (field.value === null) return field;
      const next = this.mask(this.shapes.of(field.typeOid), true, field.value, rules[index] ?? rule, count);
      if (next === undefined) return field;
      changed = true;
      return { typeOid: field.typeOid, value: next };
    });
    return changed ? formatRecordBinary(masked) : undefined;
  }

  /**
   * A table's row value is masked field by field by that table's rules (the detectors scan the
   * other fields); an anonymous record's fields each take the rule of the whole value.
   */
  private rulesOf(
    shape: Extract<ValueShape, { kind: 'record' }>,
    rule: ValueRule,
    fieldCount: number,
  ): FieldRules {
    const { fields, table } = shape;
    if (fields === null || table === null || fields.length !== fieldCount) return [];
    let rules = this.fieldRules.get(shape.typeOid);
    if (rules === undefined) {
      rules = this.planFields(fields, table);
      this.fieldRules.set(shape.typeOid, rules);
    }
    // A value no rule masks and the detectors need not scan stays as it is, fields and all.
    return rule.mask === null && !rule.scan ? rules.map((each) => ({ ...each, scan: false })) : rules;
  }

  private planFields(
    fields: NonNullable<Extract<ValueShape, { kind: 'record' }>['fields']>,
    table: NonNullable<Extract<ValueShape, { kind: 'record' }>['table']>,
  ): FieldRules {
    const columns: ResultColumn[] = fields.map((field) => ({
      name: field.name,
      source: { schema: table.schema, table: table.table, column: field.name },
      typeName: field.shape.kind === 'scalar' ? field.shape.typeName : field.shape.kind,
    }));
    const plan = this.session.planFor(columns, undefined, this.columnsOf);
    return plan.columns.map((mask, index) => ({
      mask: mask ?? null,
      scan: mask == null && (plan.scans[index] ?? 'none') !== 'none',
    }));
  }

  private scalar(
    shape: Extract<ValueShape, { kind: 'scalar' }>,
    binary: boolean,
    bytes: Buffer,
    rule: ValueRule,
    count: DetectorCount,
  ): Buffer | null | undefined {
    const { typeName, typeOid } = shape;
    const kind = valueKindOf(typeName);
    const mask = rule.mask === null ? null : elementMask(rule.mask, typeName, this.detectors);
    if (mask === null && (!rule.scan || (kind !== 'text' && kind !== 'json' && kind !== 'bytes')))
      return undefined;
    if (mask !== null && mask.strategy === 'null') return null;
    if (kind === 'number') {
      const text = binary ? decodeBinaryNumber(typeOid, bytes) : bytes.toString('latin1');
      const next = mask === null || text === null ? null : this.session.masked(mask, text);
      return next === null ? null : binary ? encodeBinaryNumber(typeOid, next) : Buffer.from(next, 'latin1');
    }
    if (kind === 'bytes') {
      // Scanned as latin1, one character a byte, so bytes around a finding that are no text
      // (a document in a blob) come back exactly as they were; a rule's mask reads the text.
      const encoding = mask === null ? 'latin1' : 'utf8';
      const raw = binary ? bytes : decodeByteaText(bytes.toString('latin1'));
      const next = this.text(raw.toString(encoding), mask, false, count);
      if (next === undefined || next === null) return next;
      const masked = Buffer.from(next, encoding);
      return binary ? masked : Buffer.from(encodeByteaText(masked), 'latin1');
    }
    const prefixed = binary && typeName === 'jsonb';
    if (prefixed && bytes[0] !== JSONB_VERSION) return mask === null ? undefined : null;
    const next = this.text(bytes.toString('utf8', prefixed ? 1 : 0), mask, kind === 'json', count);
    if (next === undefined || next === null) return next;
    return prefixed
      ? Buffer.concat([Buffer.of(JSONB_VERSION), Buffer.from(next, 'utf8')])
      : Buffer.from(next, 'utf8');
  }

  /**
   * A value whose structure cannot be read is never passed on unmasked: a masked one becomes
   * NULL, a scanned one is scanned whole as text (NULL in binary format, where it is not text).
   */
  private unreadable(bytes: Buffer, binary: boolean, rule: ValueRule, count: DetectorCount) {
    if (rule.mask !== null || (binary && rule.scan)) return null;
    if (!rule.scan) return undefined;
    const next = this.text(bytes.toString('utf8'), null, false, count);
    return next === undefined || next === null ? next : Buffer.from(next, 'utf8');
  }

  private text(
    text: string,
    mask: ColumnMask | null,
    json: boolean,
    count: DetectorCount,
  ): string | null | undefined {
    if (mask !== null) {
      const next = this.session.masked(mask, text);
      return next === text ? undefined : next;
    }
    const next = this.session.scanned(text, json);
    if (next === text) return undefined;
    count.detectorMatches++;
    return next;
  }
}

/** A field of an anonymous record in text format: its type is not on the wire. */
const UNKNOWN_TEXT: ValueShape = { kind: 'scalar', typeOid: 0, typeName: null };
