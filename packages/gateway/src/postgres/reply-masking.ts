import type { StatementAnalysis } from '@sluice/sql';
import { backend } from '@sluice/wire-postgres';
import { checkMaskedRow } from '../limits/masked-row.js';
import { type CopyMask, copyMaskFor, maskCopyData } from './copy-masking.js';
import type { ReplyTracker, StatementRun } from './reply-tracker.js';
import type { PostgresRowMasking, RowMask } from './row-masking.js';

/**
 * Masks server replies for one session, using the reply tracker to know which statement each
 * reply belongs to: a RowDescription fixes the mask of the rows after it, DataRows are rewritten
 * only under a mask, error and notice text is scanned. Runs before the tracker sees the frame.
 */
export class ReplyMasking {
  /** The COPY … TO STDOUT streaming now, when its rows are masked. */
  private copy: CopyMask | null = null;

  constructor(
    private readonly rows: PostgresRowMasking,
    private readonly tracker: ReplyTracker,
  ) {}

  /** The bytes to forward in place of `bytes`; a promise while the catalog loads. */
  onFrame(code: number, bytes: Buffer): Buffer | Promise<Buffer> {
    switch (code) {
      case backend.DataRow.code: {
        const mask = this.currentMask();
        if (!mask) return bytes;
        checkMaskedRow(bytes.length, this.rows.maxRowBytes);
        return this.rows.maskRow(mask, bytes);
      }
      case backend.RowDescription.code:
        return this.onRowDescription(bytes);
      case backend.CopyData.code:
        if (!this.copy) return bytes;
        checkMaskedRow(bytes.length, this.rows.maxRowBytes);
        return maskCopyData(this.rows.session, this.copy, bytes);
      case backend.CopyOutResponse.code:
        return this.onCopyOut(bytes);
      case backend.CommandComplete.code:
      case backend.PortalSuspended.code:
      case backend.EmptyQueryResponse.code:
        this.onResultEnd();
        return bytes;
      case backend.ErrorResponse.code:
        this.copy = null;
        return this.rows.maskNotice(code, bytes);
      case backend.NoticeResponse.code:
        return this.rows.maskNotice(code, bytes);
      default:
        return bytes;
    }
  }

  private currentMask(): RowMask | null {
    const current = this.tracker.current;
    if (current?.kind === 'query') return current.mask ?? null;
    if (current?.kind === 'execute') return current.result?.mask ?? null;
    return null;
  }

  /** Fixes the mask of the rows to come; no closure unless the catalog must load first. */
  private onRowDescription(bytes: Buffer): Buffer | Promise<Buffer> {
    const current = this.tracker.current;
    let result: MaskedResult;
    let analysis: StatementAnalysis | undefined;
    let run: StatementRun | undefined;
    if (current?.kind === 'query') {
      result = current;
      analysis = current.analyses?.[current.current];
      run = current.runs[current.current];
    } else if (current?.kind === 'describe' && current.result) {
      result = current.result;
      analysis = current.result.analysis;
    } else {
      return bytes;
    }
    const mask = this.rows.maskFor(bytes, analysis);
    if (!(mask instanceof Promise)) {
      settle(result, run, mask);
      return bytes;
    }
    return mask.then((resolved) => {
      settle(result, run, resolved);
      return bytes;
    });
  }

  private onCopyOut(bytes: Buffer): Promise<Buffer> {
    const current = this.tracker.current;
    const analysis =
      current?.kind === 'query'
        ? current.analyses?.[current.current]
        : current?.kind === 'execute'
          ? current.result?.analysis
          : undefined;
    const run =
      current?.kind === 'query'
        ? current.runs[current.current]
        : current?.kind === 'execute'
          ? current.run
          : undefined;
    return copyMaskFor(this.rows, analysis, bytes).then((mask) => {
      this.copy = mask;
      if (run && mask) run.maskedColumns = (mask.plan ?? mask.anyField).maskedColumns;
      return bytes;
    });
  }

  /** A result ended: its masked columns go to the journal; DDL may have changed the schema. */
  private onResultEnd(): void {
    this.copy = null;
    const current = this.tracker.current;
    let analysis: StatementAnalysis | undefined;
    if (current?.kind === 'query') {
      analysis = current.analyses?.[current.current];
      const run = current.runs[current.current];
      if (run && current.mask) takeDetectorMatches(run, current.mask);
      current.mask = null;
    } else if (current?.kind === 'execute') {
      analysis = current.result?.analysis;
      const mask = current.result?.mask;
      if (mask) {
        current.run.maskedColumns = mask.plan.maskedColumns;
        takeDetectorMatches(current.run, mask);
      }
    }
    if (analysis?.kind === 'ddl') this.rows.schemaChanged();
  }
}

/** What a description's mask is kept on: the query, or the portal it describes. */
interface MaskedResult {
  mask?: RowMask | null;
}

function settle(result: MaskedResult, run: StatementRun | undefined, mask: RowMask | null): void {
  result.mask = mask;
  if (run && mask) run.maskedColumns = mask.plan.maskedColumns;
}

function takeDetectorMatches(run: StatementRun, mask: RowMask): void {
  if (mask.detectorMatches === 0) return;
  run.detectorMatches = (run.detectorMatches ?? 0) + mask.detectorMatches;
  mask.detectorMatches = 0;
}
