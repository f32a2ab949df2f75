import { valueKindOf } from '@sluice/masking';
import type { PostgresCatalog, RowType } from '../catalog/postgres-catalog.js';
import { builtinArrayElement, builtinTypeName, RECORD_OID } from './value-types.js';

/**
 * What a PostgreSQL value is made of, as far as masking must look inside it: an array of
 * elements, a row value of fields, or a scalar whose type name decides how it carries a mask.
 */
export type ValueShape =
  | { readonly kind: 'scalar'; readonly typeOid: number; readonly typeName: string | null }
  | {
      readonly kind: 'array';
      readonly typeOid: number;
      readonly element: ValueShape;
      readonly delimiter: string;
    }
  | {
      readonly kind: 'record';
      readonly typeOid: number;
      /** The fields of a named composite type; null for an anonymous record. */
      readonly fields: readonly { readonly name: string; readonly shape: ValueShape }[] | null;
      /** The table whose rules name the fields: null for an anonymous record or a CREATE TYPE. */
      readonly table: Pick<RowType, 'schema' | 'table'> | null;
    };

/** pg_type.typcategory of string types and enums. */
const TEXT_CATEGORIES: ReadonlySet<string> = new Set(['S', 'E']);

/** Types nested deeper than this (an array of rows of arrays of …) are taken as opaque scalars. */
const MAX_DEPTH = 6;

/** Resolves type OIDs to shapes, through the catalog when there is one, else built-in types. */
export class ValueShapes {
  private readonly known = new Map<number, ValueShape>();

  constructor(private readonly catalog: PostgresCatalog | undefined) {}

  of(typeOid: number, depth = 0): ValueShape {
    const known = this.known.get(typeOid);
    if (known !== undefined) return known;
    const shape = this.resolve(typeOid, depth);
    this.known.set(typeOid, shape);
    return shape;
  }

  private resolve(typeOid: number, depth: number): ValueShape {
    const info = this.catalog?.typeInfo(typeOid) ?? null;
    const named = info?.name ?? builtinTypeName(typeOid);
    // Enums and string types of extensions hold text (and send it as their binary form) under
    // names masking does not know.
    const textual = info !== null && TEXT_CATEGORIES.has(info.category) && valueKindOf(named) === 'other';
    const typeName = textual ? 'text' : named;
    if (depth >= MAX_DEPTH) return { kind: 'scalar', typeOid, typeName };
    // _record is a pseudo-type, not in the array category: the built-in table names its element.
    const element = info?.element || builtinArrayElement(typeOid);
    if (element !== 0) {
      const elementShape = this.of(element, depth + 1);
      // box is the one built-in type whose arrays separate elements with `;` (typdelim).
      const delimiter = elementShape.kind === 'scalar' && elementShape.typeName === 'box' ? ';' : ',';
      return { kind: 'array', typeOid, element: elementShape, delimiter };
    }
    const relation = info?.relation ?? 0;
    const rowType = relation === 0 ? null : (this.catalog?.rowType(relation) ?? null);
    if (rowType !== null) {
      const fields = rowType.fields.map((field) => ({
        name: field.name,
        shape: this.of(field.typeOid, depth + 1),
      }));
      const table = rowType.standalone ? null : { schema: rowType.schema, table: rowType.table };
      return { kind: 'record', typeOid, fields, table };
    }
    if (typeOid === RECORD_OID || typeName === 'record')
      return { kind: 'record', typeOid, fields: null, table: null };
    return { kind: 'scalar', typeOid, typeName };
  }
}

/** The type name a result column is planned with: arrays and row values are masked inside. */
export function plannedTypeName(shape: ValueShape): string | null {
  if (shape.kind === 'array') return 'array';
  if (shape.kind === 'record') return 'record';
  return shape.typeName;
}

/** Whether any value inside can hold text the detectors could find something in. */
export function mayHoldText(shape: ValueShape): boolean {
  if (shape.kind === 'array') return mayHoldText(shape.element);
  if (shape.kind === 'record')
    return shape.fields === null || shape.fields.some((field) => mayHoldText(field.shape));
  const kind = valueKindOf(shape.typeName);
  return kind === 'text' || kind === 'json' || kind === 'bytes';
}

/**
 * Whether the text form hides text the detectors look for: bytea's text form is hex. Such values
 * are decoded before they are scanned; other values are first screened on their raw bytes.
 */
export function hidesText(shape: ValueShape, binary: boolean): boolean {
  if (binary) return false;
  if (shape.kind === 'array') return hidesText(shape.element, binary);
  if (shape.kind === 'record')
    return shape.fields === null || shape.fields.some((field) => hidesText(field.shape, binary));
  return valueKindOf(shape.typeName) === 'bytes';
}

/** Arrays, row values and byte strings are masked inside; numbers too in binary format. */
export function maskedInside(shape: ValueShape, binary: boolean): boolean {
  if (shape.kind !== 'scalar') return true;
  const kind = valueKindOf(shape.typeName);
  return kind === 'bytes' || (binary && kind === 'number');
}
