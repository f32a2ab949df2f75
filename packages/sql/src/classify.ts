import { type Classification, classification, unrecognised } from './classification.js';
import { copyStatement, loadData } from './copy.js';
import { definition, privileges, rename, truncate } from './ddl.js';
import { ScanFacts } from './facts.js';
import { setStatement } from './settings.js';
import { QueryScanner } from './tables.js';
import { describeToken, isPunctuation, isWord, isWordIn, type Token } from './tokens.js';
import { transaction } from './transactions.js';
import type { Dialect, StatementKind } from './types.js';
import { analyze, declare, explain, prepare, type WrapperContext } from './wrappers.js';

const NO_CTES: ReadonlySet<string> = new Set();
const QUERY_WORDS = new Set([
  'select',
  'with',
  'values',
  'table',
  'insert',
  'replace',
  'update',
  'delete',
  'merge',
]);
const TRANSACTION_WORDS = new Set([
  'begin',
  'start',
  'commit',
  'end',
  'rollback',
  'abort',
  'savepoint',
  'release',
  'xa',
  'lock',
  'unlock',
]);
const MAIN_COMMANDS: Readonly<Record<string, string>> = {
  select: 'SELECT',
  values: 'VALUES',
  table: 'TABLE',
  insert: 'INSERT',
  replace: 'REPLACE',
  update: 'UPDATE',
  delete: 'DELETE',
  merge: 'MERGE',
};

/** Statements recognised by their first word alone: kind and command. */
const SIMPLE: Readonly<Record<string, readonly [StatementKind, string]>> = {
  show: ['show', 'SHOW'],
  describe: ['show', 'DESCRIBE'],
  desc: ['show', 'DESCRIBE'],
  help: ['show', 'HELP'],
  deallocate: ['other', 'DEALLOCATE'],
  vacuum: ['other', 'VACUUM'],
  cluster: ['other', 'CLUSTER'],
  reindex: ['other', 'REINDEX'],
  checkpoint: ['other', 'CHECKPOINT'],
  listen: ['other', 'LISTEN'],
  notify: ['other', 'NOTIFY'],
  unlisten: ['other', 'UNLISTEN'],
  move: ['other', 'MOVE'],
  close: ['other', 'CLOSE'],
  fetch: ['select', 'FETCH'],
  kill: ['other', 'KILL'],
  flush: ['other', 'FLUSH'],
  purge: ['other', 'PURGE'],
  change: ['other', 'CHANGE'],
  stop: ['other', 'STOP'],
  shutdown: ['other', 'SHUTDOWN'],
  restart: ['other', 'RESTART'],
  cache: ['other', 'CACHE INDEX'],
  get: ['other', 'GET DIAGNOSTICS'],
  signal: ['other', 'SIGNAL'],
  resignal: ['other', 'RESIGNAL'],
  clone: ['other', 'CLONE'],
  optimize: ['other', 'OPTIMIZE TABLE'],
  repair: ['other', 'REPAIR TABLE'],
  check: ['other', 'CHECK TABLE'],
  checksum: ['other', 'CHECKSUM TABLE'],
  comment: ['ddl', 'COMMENT'],
  security: ['ddl', 'SECURITY LABEL'],
  reassign: ['dcl', 'REASSIGN OWNED'],
  import: ['ddl', 'IMPORT'],
  install: ['ddl', 'INSTALL'],
  uninstall: ['ddl', 'UNINSTALL'],
};

/** Functions that read or write files on the database server's host. */
const FILE_FUNCTIONS = new Set(
  `pg_read_file pg_read_binary_file pg_ls_dir pg_stat_file lo_import lo_export load_file pg_ls_logdir
   pg_ls_waldir pg_ls_tmpdir pg_ls_archive_statusdir pg_ls_logicalsnapdir pg_ls_logicalmapdir
   pg_ls_replslotdir pg_file_write pg_file_rename pg_file_unlink pg_file_sync pg_logdir_ls pg_file_read`.split(
    /\s+/,
  ),
);
/** Functions that run SQL given as text, or read tables named in a string. */
const DYNAMIC_FUNCTIONS = new Set(
  `query_to_xml query_to_xml_and_xmlschema query_to_xmlschema cursor_to_xml cursor_to_xmlschema table_to_xml
   table_to_xml_and_xmlschema table_to_xmlschema schema_to_xml schema_to_xml_and_xmlschema schema_to_xmlschema
   database_to_xml database_to_xml_and_xmlschema database_to_xmlschema dblink dblink_exec dblink_open
   dblink_send_query execute_prepared_stmt`.split(/\s+/),
);

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1).toLowerCase();
}

class Classifier implements WrapperContext {
  readonly scanner: QueryScanner;

  constructor(
    private readonly sql: string,
    private readonly tokens: readonly Token[],
    readonly dialect: Dialect,
  ) {
    this.scanner = new QueryScanner(tokens, dialect, new ScanFacts());
  }

  readonly classify = (from: number, to: number): Classification => {
    const first = this.tokens[from];
    const { scanner } = this;
    if (first === undefined) return unrecognised('empty statement', scanner.facts);
    if (isPunctuation(first, '(') || (isWordIn(first, QUERY_WORDS) && scanner.isQueryStart(from)))
      return this.query(from, to);
    if (first.kind !== 'word')
      return unrecognised(`a statement cannot start with ${describeToken(first)}`, scanner.facts);
    const simple = SIMPLE[first.value];
    if (simple !== undefined) {
      // `SHOW … WHERE`, `KILL expr` and friends may hold subqueries and calls.
      scanner.walk(from + 1, to, NO_CTES, { context: 'args' });
      return classification(simple[0], simple[1], scanner.facts);
    }
    if (TRANSACTION_WORDS.has(first.value)) return transaction(scanner, from, to, this.dialect);
    return this.byVerb(first.value, from, to);
  };

  private byVerb(verb: string, from: number, to: number): Classification {
    const { scanner, tokens, dialect } = this;
    const { facts } = scanner;
    switch (verb) {
      case 'create':
      case 'alter':
      case 'drop':
        return definition(scanner, from, to);
      case 'truncate':
        return truncate(scanner, from, to);
      case 'grant':
      case 'revoke':
        return privileges(scanner, from, to);
      case 'rename':
        return rename(scanner, from, to);
      case 'set':
      case 'reset':
        return this.set(from, to);
      case 'explain':
        return explain(this, from, to);
      case 'analyze':
      case 'analyse':
        return analyze(this, from, to);
      case 'prepare':
        return prepare(this, from, to);
      case 'declare':
        return declare(this, from, to);
      case 'execute': {
        const command = isWord(tokens[from + 1], 'immediate') ? 'EXECUTE IMMEDIATE' : 'EXECUTE';
        return { ...classification('other', command, facts), dynamicSql: true };
      }
      case 'do':
        if (dialect === 'postgres') return { ...classification('other', 'DO', facts), dynamicSql: true };
        scanner.walk(from + 1, to, NO_CTES, { context: 'args' });
        return classification('other', 'DO', facts);
      case 'call': {
        const name = scanner.readName(from + 1);
        if (name !== null) facts.functions.add(name.name);
        scanner.walk(name?.next ?? from + 1, to, NO_CTES, { context: 'args' });
        return classification('call', 'CALL', facts);
      }
      case 'binlog':
        return { ...classification('other', 'BINLOG', facts), dynamicSql: true };
      case 'copy':
        return copyStatement(scanner, from, to);
      case 'load':
        return this.load(from, to);
      case 'discard':
        return {
          ...classification('other', 'DISCARD', facts),
          changesSettings: isWord(tokens[from + 1], 'all'),
        };
      case 'use':
        return { ...classification('set', 'USE', facts), changesSettings: true };
      case 'handler':
        scanner.tableName(from + 1, to, NO_CTES);
        return classification('select', 'HANDLER', facts);
      case 'refresh':
        scanner.tableName(from + 3, to, NO_CTES, true);
        return classification('ddl', 'REFRESH MATERIALIZED VIEW', facts);
      default:
        return unrecognised(`unrecognised statement ${verb.toUpperCase()}`, facts);
    }
  }

  private query(from: number, to: number): Classification {
    const { scanner } = this;
    const { facts } = scanner;
    const found = scanner.scanStatement(from, to, NO_CTES, 0);
    const main = this.tokens[scanner.mainIndex];
    let command = main?.kind === 'word' ? (MAIN_COMMANDS[main.value] ?? 'SELECT') : 'SELECT';
    let kind: StatementKind = found ?? 'select';
    if (kind === 'select' && facts.createsTable) {
      kind = 'ddl';
      command = 'SELECT INTO';
    } else if (kind === 'select' && facts.nestedWrites[0] !== undefined) {
      // A statement that only reads at the top but writes in a CTE is judged as the write.
      kind = facts.nestedWrites[0];
    }
    return {
      ...classification(kind, command, facts, { from, to }),
      rowsFromParse: true,
      mainWord: main?.kind === 'word' ? main.value : null,
    };
  }

  private set(from: number, to: number): Classification {
    const statement = setStatement(this.sql, this.tokens, from, to, this.dialect);
    if (statement.wrapped !== null) {
      const inner = this.classify(statement.wrapped, to);
      return inner.recognised ? { ...inner, command: 'SET STATEMENT' } : inner;
    }
    const unreadable =
      statement.command === 'SET' || (statement.command === 'RESET' && this.dialect === 'postgres');
    if (statement.kind === 'other' && unreadable)
      return unrecognised('unreadable SET statement', this.scanner.facts);
    // `SET @v = (SELECT …)` reads tables and `SET @v = LOAD_FILE(…)` reads a file.
    this.scanner.walk(from + 1, to, NO_CTES, { context: 'args' });
    const result = classification(statement.kind, statement.command, this.scanner.facts);
    return { ...result, changesSettings: statement.changes.length > 0 };
  }

  private load(from: number, to: number): Classification {
    const { scanner, tokens, dialect } = this;
    if (dialect === 'mysql' && isWordIn(tokens[from + 1], new Set(['data', 'xml'])))
      return loadData(scanner, from, to);
    if (dialect === 'mysql') return classification('other', 'LOAD INDEX INTO CACHE', scanner.facts);
    // Postgres LOAD loads a shared library from the server's file system.
    scanner.facts.fileAccess = true;
    return classification('other', 'LOAD', scanner.facts);
  }
}

/** Classifies one statement from its tokens alone. */
export function classify(sql: string, tokens: readonly Token[], dialect: Dialect): Classification {
  const classifier = new Classifier(sql, tokens, dialect);
  const result = classifier.classify(0, tokens.length);
  const { facts } = result;
  for (const name of facts.functions) {
    const base = lastPart(name);
    if (FILE_FUNCTIONS.has(base)) facts.fileAccess = true;
    if (DYNAMIC_FUNCTIONS.has(base)) result.dynamicSql = true;
    if (base === 'set_config' && dialect === 'postgres') result.changesSettings = true;
  }
  return result;
}
