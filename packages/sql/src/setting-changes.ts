import { setConfigChanges, setStatement } from './settings.js';
import { isWord, type Token } from './tokens.js';
import type { Dialect, SettingChange } from './types.js';

/**
 * Every setting a statement changes, read from its own tokens (values differ between statements
 * that share a fingerprint, so this is never cached): SET, RESET, ALTER SYSTEM, DISCARD ALL, USE
 * and Postgres set_config() calls.
 */
export function settingChangesOf(sql: string, tokens: readonly Token[], dialect: Dialect): SettingChange[] {
  const first = tokens[0];
  const to = tokens.length;
  const changes: SettingChange[] = [];
  if (isWord(first, 'set') || isWord(first, 'reset')) {
    changes.push(...setStatement(sql, tokens, 0, to, dialect).changes);
  } else if (isWord(first, 'alter') && isWord(tokens[1], 'system')) {
    for (const change of setStatement(sql, tokens, 2, to, 'postgres').changes)
      changes.push({ ...change, scope: 'global' });
  } else if (isWord(first, 'discard') && isWord(tokens[1], 'all')) {
    changes.push({ name: 'all', value: null, scope: 'session' });
  } else if (isWord(first, 'use') && tokens[1] !== undefined) {
    changes.push({ name: 'database', value: tokens[1].value, scope: 'session' });
  }
  if (dialect === 'postgres') changes.push(...setConfigChanges(sql, tokens, 0, to));
  return changes;
}
