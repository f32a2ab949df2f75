import type { GuardrailLevel } from '@sluice/config';
import type { LexerState, SettingChange, StatementAnalysis } from '@sluice/sql';
import { nextLexerState } from '@sluice/sql';
import { type Check, type OwnsProcess, trip } from './check.js';
import { bareName, FILE_FUNCTIONS, SQL_TEXT_FUNCTIONS } from './server-functions.js';
import {
  blockingLock,
  loosenedSetting,
  otherSessions,
  searchPath,
  tableRewrite,
  unboundedWork,
} from './session-guardrails.js';
import { sameLexerState, settingChangesOf } from './settings.js';
import type { GuardrailTrip } from './types.js';

/** Analyses are cached and shared, so their words are split once rather than by every check. */
const wordsOfCommand = new WeakMap<StatementAnalysis, readonly string[]>();

const commandWords = (statement: StatementAnalysis): readonly string[] => {
  let words = wordsOfCommand.get(statement);
  if (words === undefined) {
    words = statement.command.trim().toUpperCase().split(/\s+/);
    wordsOfCommand.set(statement, words);
  }
  return words;
};

const startsWith = (statement: StatementAnalysis, ...words: readonly string[]): boolean => {
  const command = commandWords(statement);
  return words.every((word, index) => command[index] === word);
};

const PROBLEM_LENGTH_LIMIT = 160;

const unanalysable: Check = (statement) => {
  if (statement.understood) return undefined;
  const problem = (statement.problem ?? 'its structure is not recognised').slice(0, PROBLEM_LENGTH_LIMIT);
  return trip('unanalysable', `the statement could not be analysed: ${problem}`);
};

const ACCOUNT_OBJECTS: ReadonlySet<string> = new Set(['ROLE', 'USER', 'GROUP']);

const roleManagement: Check = (statement) => {
  const [verb, object, next] = commandWords(statement);
  const managesAccount =
    verb !== undefined &&
    ['CREATE', 'ALTER', 'DROP', 'RENAME'].includes(verb) &&
    object !== undefined &&
    ACCOUNT_OBJECTS.has(object) &&
    // CREATE USER MAPPING stores credentials for a foreign server: DDL, not an account.
    next !== 'MAPPING';
  if (
    managesAccount ||
    startsWith(statement, 'SET', 'PASSWORD') ||
    settingChangesOf(statement).some((change) => change.name === 'password')
  )
    return trip('role-management', `${statement.command} manages database accounts`);
  if (startsWith(statement, 'SET', 'DEFAULT', 'ROLE'))
    return trip('role-management', 'SET DEFAULT ROLE manages database accounts');
  return undefined;
};

const privileges: Check = (statement) => {
  const [verb] = commandWords(statement);
  if (verb === 'GRANT' || verb === 'REVOKE')
    return trip('privileges', `${verb} changes privileges on the database`);
  if (
    startsWith(statement, 'ALTER', 'DEFAULT', 'PRIVILEGES') ||
    startsWith(statement, 'REASSIGN', 'OWNED') ||
    startsWith(statement, 'DROP', 'OWNED')
  )
    return trip('privileges', `${statement.command} changes privileges on the database`);
  return undefined;
};

/** MySQL / MariaDB statements that load server code or stop the server. */
const SERVER_ADMINISTRATION: ReadonlySet<string> = new Set(['INSTALL', 'UNINSTALL', 'SHUTDOWN', 'RESTART']);

const alterSystem: Check = (statement) => {
  if (startsWith(statement, 'ALTER', 'SYSTEM'))
    return trip('alter-system', 'ALTER SYSTEM changes the configuration of the database server');
  const [verb] = commandWords(statement);
  if (verb !== undefined && SERVER_ADMINISTRATION.has(verb))
    return trip('alter-system', `${statement.command} administers the database server`);
  const change = settingChangesOf(statement).find((candidate) => candidate.scope === 'global');
  if (change !== undefined)
    return trip(
      'alter-system',
      `SET GLOBAL ${change.name} changes a setting for every session on the server`,
    );
  return undefined;
};

const truncate: Check = (statement) => {
  if (!startsWith(statement, 'TRUNCATE')) return undefined;
  const tables = statement.tablesWritten.length > 0 ? statement.tablesWritten.join(', ') : 'a table';
  return trip('truncate', `TRUNCATE removes every row of ${tables}`);
};

const copyProgram: Check = (statement) =>
  statement.copy?.target === 'program'
    ? trip('copy-program', 'COPY … PROGRAM runs a program on the database server')
    : undefined;

const fileAccess: Check = (statement) => {
  for (const called of statement.functions) {
    const effect = FILE_FUNCTIONS.get(bareName(called));
    if (effect !== undefined) return trip('file-access', `${bareName(called)} ${effect}`);
  }
  // MySQL's LOAD DATA is analysed as a COPY FROM a file; it is named as what the caller wrote.
  if (startsWith(statement, 'LOAD', 'DATA') || startsWith(statement, 'LOAD', 'XML'))
    return trip('file-access', `${statement.command} reads a file into the database`);
  const copy = statement.copy;
  if (copy?.target === 'file') {
    const effect = copy.direction === 'to' ? 'writes a file' : 'reads a file';
    return trip(
      'file-access',
      `COPY … ${copy.direction.toUpperCase()} a file ${effect} on the database server`,
    );
  }
  if (startsWith(statement, 'LOAD'))
    return trip('file-access', "LOAD loads a library from the database server's disk");
  if (!statement.fileAccess) return undefined;
  if (statement.kind === 'select')
    return trip('file-access', 'SELECT … INTO OUTFILE writes files on the database server');
  return trip('file-access', `${statement.command} accesses files on the database server`);
};

const dynamicSql: Check = (statement) => {
  for (const called of statement.functions) {
    const name = bareName(called);
    if (SQL_TEXT_FUNCTIONS.has(name))
      return trip('dynamic-sql', `${name} runs SQL text that cannot be inspected`);
  }
  if (!statement.dynamicSql) return undefined;
  const [verb] = commandWords(statement);
  if (verb === 'DO') return trip('dynamic-sql', 'DO blocks run dynamic SQL that cannot be inspected');
  if (verb === 'EXECUTE')
    return trip('dynamic-sql', 'EXECUTE runs a statement whose text cannot be inspected');
  if (verb === 'PREPARE')
    return trip('dynamic-sql', 'PREPARE … FROM builds a statement from text that cannot be inspected');
  return trip('dynamic-sql', `${statement.command} runs dynamic SQL that cannot be inspected`);
};

/** Values that return to the login role rather than switch to another one. */
const ROLE_RESETS: ReadonlySet<string> = new Set(['none', 'default']);

const switchesTo = (value: string | null): boolean =>
  value !== null && !ROLE_RESETS.has(value.trim().toLowerCase());

const callsSetConfig = (statement: StatementAnalysis): boolean =>
  statement.functions.some((called) => bareName(called) === 'set_config');

const roleSwitch: Check = (statement) => {
  const changes = settingChangesOf(statement);
  for (const change of changes) {
    if (change.name === 'role' && switchesTo(change.value))
      return trip('role-switch', 'SET ROLE changes the database role');
    if (change.name === 'session_authorization' && switchesTo(change.value))
      return trip('role-switch', 'SET SESSION AUTHORIZATION changes the session user');
  }
  // A SET ROLE the analysis did not turn into a setting change is judged by its command alone.
  if (changes.length === 0 && startsWith(statement, 'SET', 'ROLE'))
    return trip('role-switch', 'SET ROLE changes the database role');
  if (changes.length === 0 && startsWith(statement, 'SET', 'SESSION', 'AUTHORIZATION'))
    return trip('role-switch', 'SET SESSION AUTHORIZATION changes the session user');
  return undefined;
};

/** Names and values appear in a reason only when they are plain words such as client_encoding, SJIS. */
const PLAIN_SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,62}$/;
const PLAIN_SETTING_VALUE = /^[A-Za-z0-9_-]{1,40}$/;

const describeChange = ({ name, value }: SettingChange): string => {
  if (!PLAIN_SETTING_NAME.test(name)) return 'a setting named by an expression';
  return value !== null && PLAIN_SETTING_VALUE.test(value) ? `${name} ${value}` : name;
};

const unfollowableSetting: Check = (statement, lexerState) => {
  const changes = settingChangesOf(statement);
  if (changes.length === 0 && callsSetConfig(statement))
    return trip('unfollowable-setting', 'set_config changes a setting the analyser cannot name');
  let state = lexerState;
  for (const change of changes) {
    const next = nextLexerState(state, change);
    if ('unsupported' in next)
      return trip('unfollowable-setting', `${describeChange(change)} cannot be followed by the analyser`);
    // set_config inside a query runs once per row the query reaches, so whether it ran is unknown.
    if (statement.kind !== 'set' && !sameLexerState(next.state, state))
      return trip(
        'unfollowable-setting',
        `set_config of ${describeChange(change)} may or may not run, so the analyser cannot follow it`,
      );
    state = next.state;
  }
  return undefined;
};

const unboundedWrite: Check = (statement) => {
  for (const target of statement.dml) {
    const verb = target.kind.toUpperCase();
    if (!target.hasWhere) return trip('unbounded-write', `${verb} on ${target.table} has no WHERE clause`);
    if (target.whereAlwaysTrue)
      return trip('unbounded-write', `${verb} on ${target.table} has a WHERE clause that is always true`);
  }
  if ((statement.kind === 'update' || statement.kind === 'delete') && statement.dml.length === 0)
    return trip(
      'unbounded-write',
      `${statement.kind.toUpperCase()} has no target whose WHERE clause could be checked`,
    );
  return undefined;
};

/** Access control the checks above do not name; a role switch is judged by `roleSwitch` instead. */
const otherAccessControl: Check = (statement) =>
  statement.kind === 'dcl' && settingChangesOf(statement).length === 0
    ? trip('privileges', `${statement.command} changes access control on the database`)
    : undefined;

const DDL_VERBS: ReadonlySet<string> = new Set([
  'CREATE',
  'ALTER',
  'DROP',
  'COMMENT',
  'RENAME',
  'SECURITY',
  'IMPORT',
]);

const ddl: Check = (statement) => {
  const [verb] = commandWords(statement);
  if (statement.kind !== 'ddl' && (verb === undefined || !DDL_VERBS.has(verb))) return undefined;
  return trip('ddl', `${statement.command} is not allowed under strict guardrails`);
};

/** Every check of `standard`, in the order their reasons are most useful to a reader. */
const STANDARD_CHECKS: readonly Check[] = [
  unanalysable,
  roleManagement,
  privileges,
  alterSystem,
  truncate,
  copyProgram,
  fileAccess,
  dynamicSql,
  roleSwitch,
  unfollowableSetting,
  otherAccessControl,
  unboundedWrite,
  otherSessions,
  blockingLock,
  tableRewrite,
];

/** What only `strict` refuses: what stays inside the caller's session, and DDL. */
const STRICT_ONLY_CHECKS: readonly Check[] = [unboundedWork, loosenedSetting, searchPath, ddl];

const CHECKS: Readonly<Record<GuardrailLevel, readonly Check[]>> = {
  strict: [...STANDARD_CHECKS, ...STRICT_ONLY_CHECKS],
  standard: STANDARD_CHECKS,
  off: [],
};

/**
 * The guardrail a statement trips at a level, if any (exported for `sluice policy test` and docs).
 * `ownsProcess` tells which server process or thread ids are the caller's own sessions.
 */
export function guardrailFor(
  level: GuardrailLevel,
  statement: StatementAnalysis,
  lexerState: LexerState,
  ownsProcess?: OwnsProcess,
): GuardrailTrip | undefined {
  for (const check of CHECKS[level]) {
    const tripped = check(statement, lexerState, ownsProcess);
    if (tripped !== undefined) return tripped;
  }
  return undefined;
}
