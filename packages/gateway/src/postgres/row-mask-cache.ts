import type { StatementAnalysis } from '@sluice/sql';
import type { PostgresCatalog } from '../catalog/postgres-catalog.js';
import type { RowMask } from './row-masking.js';

/** How often each catalog was (re)loaded: a mask planned before the latest load may be stale. */
const catalogLoads = new WeakMap<PostgresCatalog, number>();

/** Every session masking over this catalog plans afresh from now on. */
export function catalogLoaded(catalog: PostgresCatalog): void {
  catalogLoads.set(catalog, (catalogLoads.get(catalog) ?? 0) + 1);
}

interface Entry {
  readonly lineage: StatementAnalysis['outputColumns'] | undefined;
  readonly tablesRead: StatementAnalysis['tablesRead'] | undefined;
  readonly loads: number;
  readonly mask: RowMask | null;
}

/** Distinct result shapes remembered per session; a session with more starts over. */
const MAX_ENTRIES = 256;

/**
 * The masks a session's results got, by RowDescription: a statement run again (most traffic is
 * a few statements with new literals) gets its mask without decoding or planning. A mask is a
 * function of the columns the RowDescription names, of the statement's lineage and tables —
 * the analyser shares those between statements of the same fingerprint, so they compare by
 * identity — of the session's masking rules, and of the catalog, whose reloads void it.
 */
export class RowMaskCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly catalog: PostgresCatalog | undefined) {}

  keyOf(rowDescription: Buffer): string {
    return rowDescription.toString('latin1');
  }

  /** A fresh copy of the remembered mask (its detector count is per result); undefined when unknown. */
  get(key: string, analysis: StatementAnalysis | undefined): RowMask | null | undefined {
    const entry = this.entries.get(key);
    if (
      entry === undefined ||
      entry.lineage !== analysis?.outputColumns ||
      entry.tablesRead !== analysis?.tablesRead ||
      entry.loads !== this.loads()
    ) {
      return undefined;
    }
    return entry.mask && { ...entry.mask, detectorMatches: 0 };
  }

  set(key: string, analysis: StatementAnalysis | undefined, mask: RowMask | null, loads: number): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, {
      lineage: analysis?.outputColumns,
      tablesRead: analysis?.tablesRead,
      loads,
      mask: mask && { ...mask, detectorMatches: 0 },
    });
  }

  /** Catalog loads so far; taken before planning, so a load meanwhile voids the entry. */
  loads(): number {
    return this.catalog ? (catalogLoads.get(this.catalog) ?? 0) : 0;
  }
}
