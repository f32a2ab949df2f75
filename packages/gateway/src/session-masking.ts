import { createHmac } from 'node:crypto';
import type { MaskingConfig, PolicyConfig } from '@sluice/config';
import type { Identity } from '@sluice/identity';
import {
  type ColumnMask,
  type MaskPlan,
  maskCell,
  maskJson,
  maskMessage,
  maskPlanFor,
  maskText,
  maskValue,
  type ResultColumn,
} from '@sluice/masking';
import type { StatementAnalysis } from '@sluice/sql';

/** Values seen in masked columns, kept to recognise them when an error message quotes one. */
const KNOWN_VALUES_LIMIT = 512;
/** When the known values are full, one masked value in this many replaces the oldest. */
const KNOWN_VALUE_SAMPLING = 64;
/** Longer values are rarely quoted whole by an error message, and would cost more to search for. */
const KNOWN_VALUE_MAX_LENGTH = 256;

/** Resolves a table's column names, as masking plans need for `*` and for exposure checks. */
export type ColumnsOf = (table: string) => readonly string[] | null;

/**
 * One session's masking, independent of the wire: which results to mask and how, the masked
 * values it has seen (error text can quote them), and what is journalled of parameters. Exists
 * only for a session whose policy masks and whose caller is not exempt.
 */
export class SessionMasking {
  private readonly knownValues: string[] = [];
  private readonly knownSet = new Set<string>();
  private nextKnown = 0;
  private seenSinceFull = 0;

  private constructor(
    private readonly masking: MaskingConfig,
    private readonly groups: readonly string[],
    readonly hashKey: Buffer,
  ) {}

  /**
   * Null when nothing is ever masked for this caller: the session then never decodes a row.
   * Without a configured hash_key, hash tokens are derived from the gateway's own secret, so
   * they are stable for this gateway's lifetime only.
   */
  static of(policy: PolicyConfig, identity: Identity, serverSecret: Buffer): SessionMasking | null {
    const { masking } = policy;
    if (masking === undefined) return null;
    if (masking.columns.length === 0 && masking.detectors.length === 0) return null;
    if (identity.groups.some((group) => masking.exempt.groups.includes(group))) return null;
    const key = masking.hashKey
      ? Buffer.from(masking.hashKey.reveal(), 'utf8')
      : // Derived, so the server secret never serves two purposes.
        createHmac('sha256', serverSecret).update('sluice masking hash key').digest();
    return new SessionMasking(masking, identity.groups, key);
  }

  planFor(
    columns: readonly ResultColumn[],
    analysis: StatementAnalysis | undefined,
    columnsOf: ColumnsOf,
  ): MaskPlan {
    return maskPlanFor({
      masking: this.masking,
      groups: this.groups,
      columns,
      lineage: analysis?.outputColumns ?? null,
      tablesRead: analysis?.tablesRead ?? [],
      columnsOf,
    });
  }

  /** Masks one non-NULL text value of column `index`; remembers what a rule masked. */
  cell(plan: MaskPlan, index: number, text: string): string | null {
    const masked = maskCell(plan, index, text, this.hashKey);
    if (plan.columns[index] != null && masked !== text) this.remember(text);
    return masked;
  }

  /** Masks one non-NULL value inside an array or row value with `mask`; remembers it. */
  masked(mask: ColumnMask, text: string): string | null {
    const masked = maskValue(mask, text, this.hashKey);
    if (masked !== text) this.remember(text);
    return masked;
  }

  /** What the detectors make of a text (or, with `json`, a JSON document's strings). */
  scanned(text: string, json: boolean): string {
    const { detectors } = this.masking;
    if (json) {
      const inside = maskJson(text, { keys: [], requiredKeys: [], detectors, hashKey: this.hashKey });
      if (inside !== null) return inside.text;
    }
    return maskText(text, detectors).text;
  }

  /** Error and notice text, which can quote a value the session was not meant to see. */
  message(text: string): string {
    return maskMessage(text, this.knownValues, this.masking.detectors);
  }

  /** Parameter values as journalled: what the detectors recognise is masked. */
  parameters(values: readonly (string | null)[]): (string | null)[] {
    return values.map((value) => (value === null ? null : maskText(value, this.masking.detectors).text));
  }

  private remember(value: string): void {
    if (value.length > KNOWN_VALUE_MAX_LENGTH) return;
    // Once the ring is full, a large result refreshes it with a sample rather than every value:
    // keeping every one would cost more than masking the row.
    if (this.knownValues.length === KNOWN_VALUES_LIMIT && this.seenSinceFull++ % KNOWN_VALUE_SAMPLING !== 0)
      return;
    if (this.knownSet.has(value)) return;
    // A ring: the oldest value gives way, so memory stays bounded on a long session.
    const evicted = this.knownValues[this.nextKnown];
    if (evicted !== undefined) this.knownSet.delete(evicted);
    this.knownValues[this.nextKnown] = value;
    this.knownSet.add(value);
    this.nextKnown = (this.nextKnown + 1) % KNOWN_VALUES_LIMIT;
  }
}
