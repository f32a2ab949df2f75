import { isOperator, isPunctuation, isWord, isWordIn, type Token } from './tokens.js';
import type { Dialect, SettingChange, StatementKind } from './types.js';

/** What a SET or RESET statement is and which settings it changes. */
export interface SetStatement {
  readonly kind: StatementKind;
  readonly command: string;
  readonly changes: readonly SettingChange[];
  /** MariaDB `SET STATEMENT … FOR <statement>`: the index where the wrapped statement starts. */
  readonly wrapped: number | null;
}

const MYSQL_SCOPES: Readonly<Record<string, SettingChange['scope']>> = {
  global: 'global',
  persist: 'global',
  persist_only: 'global',
  session: 'session',
  local: 'session',
};

/** The text of a value: a string's content, a word as written, a list joined by `, `, null for DEFAULT. */
function valueText(sql: string, tokens: readonly Token[], from: number, to: number): string | null {
  const first = tokens[from];
  if (first === undefined || from >= to) return null;
  if (to - from === 1) {
    if (isWord(first, 'default')) return null;
    if (first.kind === 'word') return sql.slice(first.start, first.end);
    return first.value;
  }
  return sql.slice(first.start, (tokens[to - 1] as Token).end);
}

/** Postgres values are lists: `SET search_path TO a, "B", 'c'` → `a, B, c`. */
function listText(sql: string, tokens: readonly Token[], from: number, to: number): string | null {
  const items: string[] = [];
  let itemStart = from;
  for (let index = from; index <= to; index += 1) {
    if (index === to || isPunctuation(tokens[index], ',')) {
      const item = valueText(sql, tokens, itemStart, index);
      if (item === null) return null;
      items.push(item);
      itemStart = index + 1;
    }
  }
  return items.join(', ');
}

function change(name: string, value: string | null, scope: SettingChange['scope']): SettingChange {
  return { name, value, scope };
}

function result(kind: StatementKind, command: string, changes: SettingChange[] = []): SetStatement {
  return { kind, command, changes, wrapped: null };
}

/** `SET …` / `RESET …` in Postgres. https://www.postgresql.org/docs/current/sql-set.html */
function postgresSet(sql: string, tokens: readonly Token[], from: number, to: number): SetStatement {
  const reset = isWord(tokens[from], 'reset');
  let index = from + 1;
  let scope: SettingChange['scope'] = 'session';
  if (
    !reset &&
    isWordIn(tokens[index], new Set(['session', 'local'])) &&
    !isWord(tokens[index + 1], 'authorization')
  ) {
    if (!isWord(tokens[index + 1], 'characteristics')) {
      scope = isWord(tokens[index], 'local') ? 'local' : 'session';
      index += 1;
    }
  }
  const verb = reset ? 'RESET' : 'SET';
  const word = tokens[index];
  const rest = (name: string, skip: number) =>
    change(name, reset ? null : listText(sql, tokens, index + skip, to), scope);
  if (isWord(word, 'session') && isWord(tokens[index + 1], 'characteristics'))
    return result('tcl', 'SET TRANSACTION');
  if (isWord(word, 'transaction')) return result('tcl', 'SET TRANSACTION');
  if (isWord(word, 'constraints')) return result('set', 'SET CONSTRAINTS', [rest('constraints', 1)]);
  if (isWord(word, 'role')) {
    const value = reset || isWord(tokens[index + 1], 'none') ? null : listText(sql, tokens, index + 1, to);
    return result('set', `${verb} ROLE`, [change('role', value, scope)]);
  }
  if (isWord(word, 'session') && isWord(tokens[index + 1], 'authorization')) {
    return result('set', `${verb} SESSION AUTHORIZATION`, [rest('session_authorization', 2)]);
  }
  if (isWord(word, 'time') && isWord(tokens[index + 1], 'zone'))
    return result('set', verb, [rest('timezone', 2)]);
  if (isWord(word, 'names')) return result('set', verb, [rest('client_encoding', 1)]);
  if (isWord(word, 'schema')) return result('set', verb, [rest('search_path', 1)]);
  if (isWord(word, 'xml') && isWord(tokens[index + 1], 'option'))
    return result('set', verb, [rest('xmloption', 2)]);
  let nameEnd = index;
  let name = '';
  while (
    nameEnd < to &&
    (tokens[nameEnd]?.kind === 'word' || tokens[nameEnd]?.kind === 'quoted-identifier')
  ) {
    name += (tokens[nameEnd] as Token).value;
    if (!isPunctuation(tokens[nameEnd + 1], '.')) break;
    name += '.';
    nameEnd += 2;
  }
  if (name === '') return result('other', verb);
  const valueStart = nameEnd + 1;
  if (reset) return result('set', verb, [change(name, null, scope)]);
  const separator = tokens[valueStart];
  if (!(isWord(separator, 'to') || isOperator(separator, '='))) return result('other', verb);
  return result('set', verb, [change(name, listText(sql, tokens, valueStart + 1, to), scope)]);
}

/** The end of one MySQL assignment: the next comma outside parentheses. */
function assignmentEnd(tokens: readonly Token[], from: number, to: number): number {
  let depth = 0;
  for (let index = from; index < to; index += 1) {
    const token = tokens[index] as Token;
    if (isPunctuation(token, '(')) depth += 1;
    else if (isPunctuation(token, ')')) depth -= 1;
    else if (depth === 0 && isPunctuation(token, ',')) return index;
  }
  return to;
}

/** One MySQL assignment `[GLOBAL|SESSION] name = expr`, `@@x = …`, `@v = …`, `NAMES …`, `CHARACTER SET …`. */
function mysqlAssignment(
  sql: string,
  tokens: readonly Token[],
  from: number,
  to: number,
): SettingChange | null {
  let index = from;
  let scope: SettingChange['scope'] = 'session';
  const scopeWord = tokens[index];
  if (scopeWord?.kind === 'word' && MYSQL_SCOPES[scopeWord.value] !== undefined) {
    scope = MYSQL_SCOPES[scopeWord.value] ?? 'session';
    index += 1;
  }
  const word = tokens[index];
  if (isWord(word, 'names')) {
    const collate = tokens.findIndex(
      (token, position) => position > index && position < to && isWord(token, 'collate'),
    );
    return change('names', valueText(sql, tokens, index + 1, collate < 0 ? to : collate), scope);
  }
  if (isWord(word, 'charset') || (isWord(word, 'character') && isWord(tokens[index + 1], 'set'))) {
    const valueStart = isWord(word, 'charset') ? index + 1 : index + 2;
    return change('names', valueText(sql, tokens, valueStart, to), scope);
  }
  let name: string;
  if (word?.kind === 'variable' && word.value.startsWith('@@')) {
    const [prefix, ...rest] = word.value.slice(2).split('.');
    const prefixScope = prefix === undefined ? undefined : MYSQL_SCOPES[prefix];
    if (prefixScope !== undefined && rest.length > 0) {
      scope = prefixScope;
      name = rest.join('.');
    } else {
      name = word.value.slice(2);
    }
  } else if (word?.kind === 'variable' || word?.kind === 'word' || word?.kind === 'quoted-identifier') {
    name = word.value;
  } else {
    return null;
  }
  index += 1;
  while (isPunctuation(tokens[index], '.') && tokens[index + 1] !== undefined) {
    name += `.${(tokens[index + 1] as Token).value}`;
    index += 2;
  }
  const separator = tokens[index];
  if (!(isOperator(separator, '=') || isOperator(separator, ':='))) return null;
  return change(name, valueText(sql, tokens, index + 1, to), scope);
}

/** `SET …` in MySQL / MariaDB. https://dev.mysql.com/doc/refman/8.0/en/set-variable.html */
function mysqlSet(sql: string, tokens: readonly Token[], from: number, to: number): SetStatement {
  if (isWord(tokens[from], 'reset')) return result('other', 'RESET');
  const first = tokens[from + 1];
  const second = tokens[from + 2];
  if (isWord(first, 'password')) return result('dcl', 'SET PASSWORD');
  if (isWord(first, 'default') && isWord(second, 'role')) return result('dcl', 'SET DEFAULT ROLE');
  if (isWord(first, 'role')) {
    const value = valueText(sql, tokens, from + 2, to);
    return result('set', 'SET ROLE', [
      change('role', value === 'NONE' || value === 'none' ? null : value, 'session'),
    ]);
  }
  if (
    isWord(first, 'transaction') ||
    (isWordIn(first, new Set(['global', 'session', 'local'])) && isWord(second, 'transaction'))
  ) {
    return result('tcl', 'SET TRANSACTION');
  }
  if (isWord(first, 'resource') && isWord(second, 'group')) return result('other', 'SET RESOURCE GROUP');
  if (isWord(first, 'statement')) {
    const forIndex = tokens.findIndex((token, index) => index > from && index < to && isWord(token, 'for'));
    if (forIndex < 0) return result('other', 'SET STATEMENT');
    return { kind: 'other', command: 'SET STATEMENT', changes: [], wrapped: forIndex + 1 };
  }
  const changes: SettingChange[] = [];
  let index = from + 1;
  while (index < to) {
    const end = assignmentEnd(tokens, index, to);
    const assignment = mysqlAssignment(sql, tokens, index, end);
    if (assignment === null) return result('other', 'SET', changes);
    changes.push(assignment);
    index = end + 1;
  }
  return result('set', 'SET', changes);
}

/** Classifies a SET / RESET statement spanning tokens `[from, to)`. */
export function setStatement(
  sql: string,
  tokens: readonly Token[],
  from: number,
  to: number,
  dialect: Dialect,
): SetStatement {
  return dialect === 'postgres' ? postgresSet(sql, tokens, from, to) : mysqlSet(sql, tokens, from, to);
}

/** Settings that change how later SQL text must be read; reported first when a SET changes several. */
const LEXICAL_SETTINGS = new Set([
  'standard_conforming_strings',
  'client_encoding',
  'names',
  'character_set_client',
  'sql_mode',
  'all',
]);

/** The change to report as the statement's settingChange. */
export function primaryChange(changes: readonly SettingChange[]): SettingChange | null {
  return changes.find((candidate) => LEXICAL_SETTINGS.has(candidate.name)) ?? changes[0] ?? null;
}

/**
 * `set_config('name', 'value', is_local)` calls in a Postgres statement: they change settings as
 * SET does. A name or value that is not a literal is reported as written (`$1`), which
 * nextLexerState refuses to follow for settings that matter.
 */
export function setConfigChanges(
  sql: string,
  tokens: readonly Token[],
  from: number,
  to: number,
): SettingChange[] {
  const changes: SettingChange[] = [];
  for (let index = from; index < to; index += 1) {
    if (!isWord(tokens[index], 'set_config') || !isPunctuation(tokens[index + 1], '(')) continue;
    const args: [number, number][] = [];
    let depth = 0;
    let argStart = index + 2;
    let cursor = index + 2;
    for (; cursor < to; cursor += 1) {
      const token = tokens[cursor] as Token;
      if (isPunctuation(token, '(')) depth += 1;
      else if (isPunctuation(token, ')') && depth > 0) depth -= 1;
      else if (depth === 0 && (isPunctuation(token, ',') || isPunctuation(token, ')'))) {
        args.push([argStart, cursor]);
        argStart = cursor + 1;
        if (isPunctuation(token, ')')) break;
      }
    }
    const [name, value, local] = args;
    if (name === undefined || value === undefined) continue;
    const nameText = valueText(sql, tokens, name[0], name[1]) ?? '';
    const literalName = name[1] - name[0] === 1 && tokens[name[0]]?.kind === 'string';
    const scope = local !== undefined && isWord(tokens[local[0]], 'false') ? 'session' : 'local';
    changes.push(
      change(
        literalName ? nameText.toLowerCase() : nameText,
        valueText(sql, tokens, value[0], value[1]),
        scope,
      ),
    );
    index = cursor;
  }
  return changes;
}
