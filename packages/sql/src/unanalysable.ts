import { NO_REACH } from './reach.js';
import type { Dialect, StatementAnalysis } from './types.js';

const NONE: readonly never[] = Object.freeze([]);

/** A statement the analyser cannot read: judged by its problem, never by what it seems to do. */
export function unanalysable(
  text: string,
  fingerprint: string,
  dialect: Dialect,
  problem: string,
): StatementAnalysis {
  return {
    text,
    fingerprint,
    dialect,
    kind: 'other',
    command: 'UNKNOWN',
    parsed: false,
    understood: false,
    problem,
    tablesRead: NONE,
    tablesWritten: NONE,
    functions: NONE,
    dml: NONE,
    nestedDml: false,
    dynamicSql: false,
    copy: null,
    fileAccess: false,
    settingChange: null,
    settingChanges: NONE,
    outputColumns: null,
    reach: NO_REACH,
  };
}
