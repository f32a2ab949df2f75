import { lex } from './lexer.js';
import { isPunctuation, isWord, type Token } from './tokens.js';
import type { LexerState } from './types.js';

/** The sql_mode flags that change how MySQL reads SQL text. */
export interface QuotingModes {
  readonly ansiQuotes: boolean;
  readonly noBackslashEscapes: boolean;
}

/** sql_mode values that include ANSI_QUOTES. https://mariadb.com/kb/en/sql-mode/ */
const ANSI_QUOTES_MODES = new Set(['ansi_quotes', 'ansi', 'db2', 'maxdb', 'mssql', 'oracle', 'postgresql']);
/** Every mode MySQL 5.7–8.x and MariaDB know; a server refuses others and keeps its mode. */
const KNOWN_MODES = new Set(
  `real_as_float pipes_as_concat ansi_quotes ignore_space ignore_bad_table_options only_full_group_by
   no_unsigned_subtraction no_dir_in_create postgresql oracle mssql db2 maxdb no_key_options
   no_table_options no_field_options mysql323 mysql40 ansi no_auto_value_on_zero no_backslash_escapes
   strict_trans_tables strict_all_tables no_zero_in_date no_zero_date invalid_dates
   error_for_division_by_zero traditional no_auto_create_user high_not_precedence
   no_engine_substitution pad_char_to_full_length empty_string_is_null simultaneous_assignment
   time_round_fractional time_truncate_fractional`.split(/\s+/),
);
const QUOTING_NAMES = [...ANSI_QUOTES_MODES, 'no_backslash_escapes'];
const CURRENT_MODE = new Set(['@@sql_mode', '@@session.sql_mode', '@@local.sql_mode']);

/** The quoting flags of a literal mode list, or null when it names a mode no server knows. */
function listModes(list: string): QuotingModes | null {
  const modes = list
    .split(',')
    .map((mode) => mode.trim().toLowerCase())
    .filter((mode) => mode !== '');
  if (modes.some((mode) => !KNOWN_MODES.has(mode))) return null;
  return {
    ansiQuotes: modes.some((mode) => ANSI_QUOTES_MODES.has(mode)),
    noBackslashEscapes: modes.includes('no_backslash_escapes'),
  };
}

function union(a: QuotingModes, b: QuotingModes): QuotingModes {
  return {
    ansiQuotes: a.ansiQuotes || b.ansiQuotes,
    noBackslashEscapes: a.noBackslashEscapes || b.noBackslashEscapes,
  };
}

/** Reads `CONCAT(…)`, `REPLACE(…)`, `@@sql_mode` and string literals; null for anything else. */
class ModeExpression {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly current: QuotingModes,
  ) {}

  whole(): QuotingModes | null {
    const result = this.expression();
    return this.position === this.tokens.length && result !== null ? result.modes : null;
  }

  private expression(): { modes: QuotingModes; text: string | null } | null {
    const token = this.tokens[this.position];
    if (token === undefined) return null;
    this.position += 1;
    if (token.kind === 'string') {
      const modes = listModes(token.value);
      return modes === null ? null : { modes, text: token.value };
    }
    if (token.kind === 'variable' && CURRENT_MODE.has(token.value))
      return { modes: this.current, text: null };
    const args = isWord(token, 'concat') || isWord(token, 'replace') ? this.arguments() : null;
    if (args === null) return null;
    if (isWord(token, 'concat')) {
      // Each literal after another argument must start a new mode, or names would run together.
      if (args.some((arg, index) => index > 0 && arg.text !== null && !arg.text.startsWith(','))) return null;
      return { modes: args.map((arg) => arg.modes).reduce(union), text: null };
    }
    const [subject, needle, replacement] = args;
    if (args.length !== 3 || subject === undefined || needle?.text == null || replacement?.text == null)
      return null;
    // Removing text that is not part of a quoting mode's name cannot turn one off.
    const text = needle.text.toLowerCase();
    if (
      text === '' ||
      text.includes(',') ||
      QUOTING_NAMES.some((name) => name.includes(text) || text.includes(name))
    ) {
      return null;
    }
    return { modes: union(subject.modes, replacement.modes), text: null };
  }

  private arguments(): { modes: QuotingModes; text: string | null }[] | null {
    if (!isPunctuation(this.tokens[this.position], '(')) return null;
    this.position += 1;
    const args: { modes: QuotingModes; text: string | null }[] = [];
    for (;;) {
      const arg = this.expression();
      if (arg === null) return null;
      args.push(arg);
      const separator = this.tokens[this.position];
      this.position += 1;
      if (isPunctuation(separator, ')')) return args;
      if (!isPunctuation(separator, ',')) return null;
    }
  }
}

/**
 * The quoting flags after `SET sql_mode = <value>`: a mode list, or the expressions drivers send
 * (`CONCAT(@@sql_mode, ',STRICT_ALL_TABLES')`, `REPLACE(@@sql_mode, 'ONLY_FULL_GROUP_BY', '')`).
 * Null when the value cannot be told. Where it is not sure, it errs towards quoting modes being on,
 * which makes the analyser see more statement boundaries than the server, never fewer.
 */
export function sqlModeAfter(state: LexerState, value: string): QuotingModes | null {
  const plain = listModes(value);
  if (plain !== null) return plain;
  const { tokens, error } = lex(value, state);
  if (error !== null) return null;
  return new ModeExpression(tokens, state).whole();
}
