import { defaultLexerState, type LexerState, nextLexerState, type StatementAnalysis } from '@sluice/sql';
import { hasCapability, ServerStatus } from '@sluice/wire-mysql';
import type { SqlReadingState } from '../statement-judge.js';

/** Settings that change how the lexer must read later statements (see nextLexerState). */
const SQL_MODE = 'sql_mode';
const ENCODING_SETTINGS = new Set(['names', 'character_set_client', 'charset']);
/** `USE db` is analysed as a change of this setting. */
const DATABASE = 'database';

/**
 * Client collations whose multi-byte characters can hide a quote or a backslash (big5, sjis, gbk,
 * cp932, gb18030): the lexer reads text as UTF-8 and cannot follow them.
 * https://mariadb.com/kb/en/supported-character-sets-and-collations/
 */
const UNFOLLOWABLE_COLLATIONS = new Set([1, 13, 28, 84, 87, 88, 95, 96, 248, 249, 250]);

/**
 * How the session's SQL must be read (sql_mode's ANSI_QUOTES and NO_BACKSLASH_ESCAPES, the
 * client character set) and its default database. Statements are judged when they are sent,
 * so a change is applied as soon as the statement making it is forwarded; when no command is in
 * flight, the server's status flags correct it (MariaDB reports both quoting modes there, MySQL
 * only NO_BACKSLASH_ESCAPES).
 */
export class ReadingState {
  private lexer: LexerState = defaultLexerState('mysql');
  private sqlModeProblem: string | null = null;
  private encodingProblem: string | null = null;
  /** The handshake's character set, which COM_RESET_CONNECTION returns to. */
  private readonly handshakeEncodingProblem: string | null = null;
  schema: string;
  /** From the newest status flags; for `sessions list`. */
  inTransaction = false;

  constructor(
    schema: string,
    collation: number,
    private readonly serverReportsAnsiQuotes: boolean,
  ) {
    this.schema = schema;
    if (UNFOLLOWABLE_COLLATIONS.has(collation)) {
      this.handshakeEncodingProblem = `client collation ${collation} uses a multi-byte character set that can hide quotes and backslashes`;
    }
    this.encodingProblem = this.handshakeEncodingProblem;
  }

  get state(): SqlReadingState {
    return { lexer: this.lexer, unfollowable: this.sqlModeProblem ?? this.encodingProblem };
  }

  /** Applies what forwarded statements change, assuming they succeed. */
  forwarded(statements: readonly StatementAnalysis[]): void {
    for (const statement of statements) {
      for (const change of statement.settingChanges) {
        const name = change.name.toLowerCase();
        if (name === DATABASE && change.value !== null) {
          this.schema = change.value;
          continue;
        }
        if (name !== SQL_MODE && !ENCODING_SETTINGS.has(name)) continue;
        const next = nextLexerState(this.lexer, change);
        const problem = 'unsupported' in next ? next.unsupported : null;
        if ('state' in next) this.lexer = next.state;
        if (name === SQL_MODE) this.sqlModeProblem = problem;
        else this.encodingProblem = problem;
      }
    }
  }

  /** The server's status flags, read when nothing else is in flight: they reflect every change. */
  observe(statusFlags: number): void {
    this.inTransaction = hasCapability(statusFlags, ServerStatus.inTransaction);
    const noBackslashEscapes = hasCapability(statusFlags, ServerStatus.noBackslashEscapes);
    const ansiQuotes = this.serverReportsAnsiQuotes
      ? hasCapability(statusFlags, ServerStatus.ansiQuotes)
      : this.lexer.ansiQuotes;
    if (this.serverReportsAnsiQuotes) this.sqlModeProblem = null;
    // Done after every command: a new state only when the flags changed it.
    if (noBackslashEscapes === this.lexer.noBackslashEscapes && ansiQuotes === this.lexer.ansiQuotes) return;
    this.lexer = { ...this.lexer, noBackslashEscapes, ansiQuotes };
  }

  /** COM_RESET_CONNECTION restores the server's defaults; the status flags of its OK tell them. */
  reset(): void {
    this.lexer = defaultLexerState('mysql');
    this.sqlModeProblem = null;
    this.encodingProblem = this.handshakeEncodingProblem;
  }

  /** A statement that would have changed the default database failed: the server kept the old one. */
  schemaChangeFailed(before: string, attempted: string): void {
    if (this.schema === attempted) this.schema = before;
  }
}
