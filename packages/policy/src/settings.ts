import type { LexerState, SettingChange, StatementAnalysis } from '@sluice/sql';
import { nextLexerState } from '@sluice/sql';

/** Every setting a statement changes, in order (MySQL `SET a = 1, b = 2` changes two). */
export function settingChangesOf(statement: StatementAnalysis): readonly SettingChange[] {
  if (statement.settingChanges.length > 0) return statement.settingChanges;
  return statement.settingChange === null ? [] : [statement.settingChange];
}

/** How the session reads SQL after a statement; past a change it cannot follow, as it read before it. */
export function lexerStateAfter(state: LexerState, statement: StatementAnalysis): LexerState {
  let current = state;
  for (const change of settingChangesOf(statement)) {
    const next = nextLexerState(current, change);
    if ('unsupported' in next) return current;
    current = next.state;
  }
  return current;
}

export const sameLexerState = (left: LexerState, right: LexerState): boolean =>
  left.dialect === right.dialect &&
  left.standardConformingStrings === right.standardConformingStrings &&
  left.ansiQuotes === right.ansiQuotes &&
  left.noBackslashEscapes === right.noBackslashEscapes;
