import type { DetectorName, MaskingConfig } from '@sluice/config';
import type { OutputColumn } from '@sluice/sql';
import type { PlanInput, ResultColumn } from '../../src/index.js';

/** The masking section of SPEC §2, in configuration order. */
export function maskingConfig(detectors: readonly DetectorName[] = []): MaskingConfig {
  return {
    columns: [
      { match: '*.email', strategy: 'email' },
      { match: 'users.ssn', strategy: 'redact' },
      { match: '*.card_number', strategy: 'last4' },
      { match: '*.phone', strategy: 'hash' },
    ],
    detectors,
    exempt: { groups: ['dba'] },
    hashKey: undefined,
  };
}

const CATALOG: ReadonlyMap<string, readonly string[]> = new Map([
  ['users', ['id', 'name', 'email', 'ssn', 'phone', 'profile', 'created_at']],
  ['public.users', ['id', 'name', 'email', 'ssn', 'phone', 'profile', 'created_at']],
  ['orders', ['id', 'user_id', 'total', 'card_number', 'placed_at']],
  ['products', ['id', 'title', 'price']],
]);

export const columnsOf = (table: string): readonly string[] | null => CATALOG.get(table) ?? null;

/** A result column; `source` as 'table.column' for a plain reference the wire can name. */
export function result(name: string, typeName: string | null = 'text', source?: string): ResultColumn {
  if (source === undefined) return { name, typeName, source: null };
  const [table = '', column = ''] = source.split('.');
  return { name, typeName, source: { schema: 'public', table, column } };
}

/** A lineage entry; sources as 'table.column' ('?.column' for an unattributed column). */
export function output(
  name: string,
  sources: readonly string[],
  shape: Partial<OutputColumn> = {},
): OutputColumn {
  return {
    name,
    sources: sources.map((source) => {
      const dot = source.lastIndexOf('.');
      const table = source.slice(0, dot);
      return { table: table === '?' ? null : table, column: source.slice(dot + 1) };
    }),
    direct: false,
    star: false,
    opaque: false,
    ...shape,
  };
}

export function planInput(overrides: Partial<PlanInput>): PlanInput {
  return {
    masking: maskingConfig(),
    groups: ['agents'],
    columns: [],
    lineage: null,
    tablesRead: [],
    columnsOf,
    ...overrides,
  };
}
