import type { StatementAnalysis } from '@sluice/sql';
import { packets } from '@sluice/wire-mysql';
import { checkMaskedRow } from '../limits/masked-row.js';
import type { StatementRun } from '../postgres/reply-tracker.js';
import type { ResponseEvent } from './response-reader.js';
import type { MysqlRowMasking, ResultMask, RowFormat } from './row-masking.js';

/** Follows one command's reply and rewrites the rows whose result's plan masks something. */
export class ResultMasker {
  private definitions: Buffer[] = [];
  private expected = 0;
  private mask: ResultMask | null = null;

  constructor(
    private readonly masking: MysqlRowMasking,
    private readonly analyses: readonly (StatementAnalysis | undefined)[],
    private readonly format: RowFormat,
  ) {}

  /**
   * The payload to send in place of a reply packet's, or null to forward it as it came.
   * `resultIndex` is the statement the result belongs to; `run` is told what was masked.
   */
  payloadFor(event: ResponseEvent, payload: Buffer, resultIndex: number, run?: StatementRun): Buffer | null {
    switch (event.kind) {
      case 'column-count':
        this.definitions = [];
        this.expected = event.count;
        this.mask = null;
        return null;
      case 'column-definition':
        this.definitions.push(payload);
        if (this.definitions.length === this.expected) this.planResult(resultIndex, run);
        return null;
      case 'row':
        if (!this.mask) return null;
        checkMaskedRow(payload.length, this.masking.maxRowBytes);
        return this.maskRow(this.mask, payload);
      case 'result-end':
        if (run && this.mask) takeDetectorMatches(this.mask, run);
        if (this.analyses[Math.min(resultIndex, this.analyses.length - 1)]?.kind === 'ddl') {
          this.masking.schemaChanged();
        }
        return null;
      default:
        return null;
    }
  }

  private planResult(resultIndex: number, run: StatementRun | undefined): void {
    const analysis = this.analyses[Math.min(resultIndex, this.analyses.length - 1)];
    this.mask = this.masking.planCached(this.definitions, analysis, this.format);
    if (run && this.mask)
      run.maskedColumns = [...new Set([...(run.maskedColumns ?? []), ...this.mask.plan.maskedColumns])];
  }

  private maskRow(mask: ResultMask, payload: Buffer): Buffer | null {
    return this.format === 'text' ? this.maskTextRow(mask, payload) : this.maskBinaryRow(mask, payload);
  }

  private maskTextRow(mask: ResultMask, payload: Buffer): Buffer | null {
    const { values } = packets.TextRow.decode(payload);
    const masked = [...values];
    let changed = false;
    for (const index of mask.active) {
      const value = values[index];
      if (value === null || value === undefined) continue;
      const next = this.masking.maskBytes(mask, index, value);
      if (next === undefined) continue;
      masked[index] = next;
      changed = true;
    }
    return changed ? packets.TextRow.encode({ kind: 'text-row', values: masked }) : null;
  }

  private maskBinaryRow(mask: ResultMask, payload: Buffer): Buffer | null {
    const { values } = packets.BinaryRow.decode(payload, mask.definitions);
    const masked = [...values];
    let changed = false;
    for (const index of mask.active) {
      const value = values[index];
      if (value === null || value === undefined) continue;
      // A number or date is rewritten in its own encoding: a number under last4 or hash stays a
      // number, anything else a rule masks becomes NULL, as in text rows.
      if (!mask.binaryText[index]) {
        const rule = mask.plan.columns[index];
        if (rule == null) continue;
        masked[index] = this.masking.maskBinaryNumber(mask, index, value);
        changed = true;
        continue;
      }
      const next = this.masking.maskBytes(mask, index, value);
      if (next === undefined) continue;
      masked[index] = next;
      changed = true;
    }
    return changed
      ? packets.BinaryRow.encode({ kind: 'binary-row', values: masked }, mask.definitions)
      : null;
  }
}

function takeDetectorMatches(mask: ResultMask, run: StatementRun): void {
  if (mask.detectorMatches === 0) return;
  run.detectorMatches = (run.detectorMatches ?? 0) + mask.detectorMatches;
  mask.detectorMatches = 0;
}
