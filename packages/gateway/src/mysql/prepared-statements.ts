import type { StatementAnalysis } from '@sluice/sql';
import type { ParameterType } from '@sluice/wire-mysql';
import type { NeedsApproval } from '../approval-gate.js';
import type { StatementRun } from '../postgres/reply-tracker.js';
import { PARAMETER_JOURNAL_LIMIT } from './limits.js';
import type { ResultMasker } from './result-masker.js';

/** A statement a client prepared, from COM_STMT_PREPARE until it is closed. */
export interface PreparedStatement {
  readonly text: string;
  readonly analysis: StatementAnalysis | undefined;
  /** The refusal a blocked statement got: it was never prepared. */
  readonly refusal: string | null;
  /** Set when a person must approve each execution; preparing runs nothing. */
  approval: NeedsApproval | null;
  /** The grant that allowed it, if one did. */
  grant: string | null;
  /** The server's id, known once COM_STMT_PREPARE_OK arrives. */
  id: number | null;
  /** Counted from the text's placeholders until the server says. */
  parameterCount: number;
  /** Types bound by the last execute; a client may leave them out of the next. */
  boundTypes: readonly ParameterType[] | null;
  /** COM_STMT_SEND_LONG_DATA chunks since the last execute or reset, kept up to the journal's limit. */
  readonly longData: Map<number, Buffer>;
  /** A cursor's run, open while COM_STMT_FETCH brings its rows. */
  cursorRun: StatementRun | null;
  /** Masks the rows COM_STMT_FETCH brings, as the execute that opened the cursor planned. */
  cursorMasker: ResultMasker | null;
}

/** MariaDB lets COM_STMT_EXECUTE name "the statement prepared last" (pipelined prepare + execute). */
export const LAST_PREPARED_STATEMENT = 0xffffffff;

/** The session's prepared statements by server id. */
export class PreparedStatements {
  private readonly byId = new Map<number, PreparedStatement>();
  private last: PreparedStatement | undefined;

  /** A COM_STMT_PREPARE forwarded (or refused); it becomes "the statement prepared last". */
  preparing(
    text: string,
    analysis: StatementAnalysis | undefined,
    parameterCount: number,
    refusal: string | null,
  ): PreparedStatement {
    const statement: PreparedStatement = {
      text,
      analysis,
      refusal,
      approval: null,
      grant: null,
      id: null,
      parameterCount,
      boundTypes: null,
      longData: new Map(),
      cursorRun: null,
      cursorMasker: null,
    };
    this.last = statement;
    return statement;
  }

  prepared(statement: PreparedStatement, id: number, parameterCount: number): void {
    statement.id = id;
    statement.parameterCount = parameterCount;
    this.byId.set(id, statement);
  }

  find(id: number): PreparedStatement | undefined {
    return id === LAST_PREPARED_STATEMENT ? this.last : this.byId.get(id);
  }

  /** Forgets a statement; returns it so that its open cursor run can be completed. */
  close(id: number): PreparedStatement | undefined {
    const statement = this.find(id);
    if (statement?.id !== null && statement?.id !== undefined) this.byId.delete(statement.id);
    return statement;
  }

  /** COM_RESET_CONNECTION deallocates every statement. */
  clear(): PreparedStatement[] {
    const all = [...this.byId.values()];
    this.byId.clear();
    this.last = undefined;
    return all;
  }
}

export function addLongData(statement: PreparedStatement, parameterIndex: number, chunk: Buffer): void {
  const kept = statement.longData.get(parameterIndex) ?? Buffer.alloc(0);
  if (kept.length > PARAMETER_JOURNAL_LIMIT) return;
  statement.longData.set(
    parameterIndex,
    Buffer.concat([kept, chunk.subarray(0, PARAMETER_JOURNAL_LIMIT + 1)]),
  );
}
