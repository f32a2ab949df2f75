import type { ColumnSource, OutputColumn } from '@sluice/sql';
import type { ResultColumn } from './types.js';

/**
 * Lines the analysis's output columns up with the result's columns, one to one, expanding `*`
 * and `t.*` through the catalog. Returns null when they cannot be lined up: lineage unknown, a
 * starred table's columns unknown, a count that differs, or an expanded name that is not the
 * result's name at that position (the catalog is stale). The caller then treats every column as
 * of unknown origin.
 */
export function alignLineage(
  lineage: readonly OutputColumn[] | null,
  columns: readonly ResultColumn[],
  columnsOf: (table: string) => readonly string[] | null,
): readonly OutputColumn[] | null {
  if (lineage === null) return null;
  const aligned: OutputColumn[] = [];
  const fromCatalog = new Set<number>();
  for (const output of lineage) {
    if (!output.star) {
      aligned.push(output);
      continue;
    }
    for (const source of output.sources) {
      if (source.column !== '*') {
        aligned.push(plainReference(source.column, source));
        continue;
      }
      const names = source.table === null ? null : columnsOf(source.table);
      if (names === null) return null;
      for (const name of names) {
        fromCatalog.add(aligned.length);
        aligned.push(plainReference(name, { table: source.table, column: name }));
      }
    }
  }
  if (aligned.length !== columns.length) return null;
  for (const index of fromCatalog) {
    if (aligned[index]?.name.toLowerCase() !== columns[index]?.name.toLowerCase()) return null;
  }
  return aligned;
}

function plainReference(name: string, source: ColumnSource): OutputColumn {
  return { name, sources: [source], direct: true, star: false, opaque: false };
}
