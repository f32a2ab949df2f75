import type { StatementAnalysis } from '@sluice/sql';
import { NO_REACH } from '@sluice/sql';
import type { GuardrailId } from '../../src/index.js';

/** A hand-built statement and the guardrail each level must trip for it. */
export interface GuardrailCase {
  readonly name: string;
  readonly statement: Partial<StatementAnalysis>;
  readonly strict: GuardrailId | undefined;
  /** What `standard` trips; the same as strict unless given. */
  readonly standard?: GuardrailId | undefined;
  readonly reason?: string;
}

const noWhere = (kind: 'update' | 'delete', table: string) => ({
  kind,
  table,
  hasWhere: false,
  whereAlwaysTrue: false,
});
const setting = (name: string, value: string | null, scope: 'session' | 'local' | 'global' = 'session') => ({
  name,
  value,
  scope,
});

export const GUARDRAIL_CASES: readonly GuardrailCase[] = [
  {
    name: 'a statement the analyser did not understand',
    statement: { kind: 'other', command: '', understood: false, problem: 'unterminated quoted string' },
    strict: 'unanalysable',
    reason: 'the statement could not be analysed: unterminated quoted string',
  },
  {
    name: 'DROP TABLE',
    statement: { kind: 'ddl', command: 'DROP TABLE', tablesWritten: ['orders'] },
    strict: 'ddl',
    standard: undefined,
    reason: 'DROP TABLE is not allowed under strict guardrails',
  },
  {
    name: 'CREATE INDEX',
    statement: { kind: 'ddl', command: 'CREATE INDEX' },
    strict: 'ddl',
    standard: undefined,
  },
  {
    name: 'ALTER TABLE',
    statement: { kind: 'ddl', command: 'ALTER TABLE' },
    strict: 'ddl',
    standard: undefined,
  },
  {
    name: 'a DDL verb the analysis did not call ddl',
    statement: { kind: 'other', command: 'COMMENT ON' },
    strict: 'ddl',
    standard: undefined,
  },
  {
    name: 'CREATE USER MAPPING (foreign-server DDL, not an account)',
    statement: { kind: 'ddl', command: 'CREATE USER MAPPING' },
    strict: 'ddl',
    standard: undefined,
  },
  {
    name: 'TRUNCATE',
    statement: { kind: 'ddl', command: 'TRUNCATE', tablesWritten: ['orders'] },
    strict: 'truncate',
    reason: 'TRUNCATE removes every row of orders',
  },
  {
    name: 'CREATE ROLE',
    statement: { kind: 'dcl', command: 'CREATE ROLE' },
    strict: 'role-management',
    reason: 'CREATE ROLE manages database accounts',
  },
  { name: 'ALTER USER', statement: { kind: 'dcl', command: 'ALTER USER' }, strict: 'role-management' },
  { name: 'DROP ROLE', statement: { kind: 'ddl', command: 'DROP ROLE' }, strict: 'role-management' },
  { name: 'RENAME USER', statement: { kind: 'dcl', command: 'RENAME USER' }, strict: 'role-management' },
  { name: 'CREATE GROUP', statement: { kind: 'dcl', command: 'CREATE GROUP' }, strict: 'role-management' },
  { name: 'SET PASSWORD', statement: { kind: 'set', command: 'SET PASSWORD' }, strict: 'role-management' },
  {
    name: 'GRANT',
    statement: { kind: 'dcl', command: 'GRANT' },
    strict: 'privileges',
    reason: 'GRANT changes privileges on the database',
  },
  { name: 'REVOKE', statement: { kind: 'dcl', command: 'REVOKE' }, strict: 'privileges' },
  {
    name: 'ALTER DEFAULT PRIVILEGES',
    statement: { kind: 'ddl', command: 'ALTER DEFAULT PRIVILEGES' },
    strict: 'privileges',
  },
  { name: 'REASSIGN OWNED', statement: { kind: 'other', command: 'REASSIGN OWNED' }, strict: 'privileges' },
  {
    name: 'other access control',
    statement: { kind: 'dcl', command: 'SECURITY LABEL' },
    strict: 'privileges',
  },
  {
    name: 'ALTER SYSTEM',
    statement: { kind: 'ddl', command: 'ALTER SYSTEM' },
    strict: 'alter-system',
    reason: 'ALTER SYSTEM changes the configuration of the database server',
  },
  {
    name: 'INSTALL PLUGIN',
    statement: { dialect: 'mysql', kind: 'ddl', command: 'INSTALL PLUGIN' },
    strict: 'alter-system',
    reason: 'INSTALL PLUGIN administers the database server',
  },
  {
    name: 'SHUTDOWN',
    statement: { dialect: 'mysql', kind: 'other', command: 'SHUTDOWN' },
    strict: 'alter-system',
  },
  {
    name: 'SET GLOBAL',
    statement: { kind: 'set', command: 'SET', settingChange: setting('max_connections', '10', 'global') },
    strict: 'alter-system',
    reason: 'SET GLOBAL max_connections changes a setting for every session on the server',
  },
  {
    name: 'DELETE without WHERE',
    statement: {
      kind: 'delete',
      command: 'DELETE',
      tablesWritten: ['orders'],
      dml: [noWhere('delete', 'orders')],
    },
    strict: 'unbounded-write',
    reason: 'DELETE on orders has no WHERE clause',
  },
  {
    name: 'UPDATE with an always-true WHERE',
    statement: {
      kind: 'update',
      command: 'UPDATE',
      dml: [{ kind: 'update', table: 'users', hasWhere: true, whereAlwaysTrue: true }],
    },
    strict: 'unbounded-write',
    reason: 'UPDATE on users has a WHERE clause that is always true',
  },
  {
    name: 'a SELECT wrapping a DELETE without WHERE in a CTE',
    statement: {
      kind: 'select',
      nestedDml: true,
      dml: [
        { kind: 'delete', table: 'orders', hasWhere: true, whereAlwaysTrue: false },
        noWhere('delete', 'items'),
      ],
    },
    strict: 'unbounded-write',
    reason: 'DELETE on items has no WHERE clause',
  },
  {
    name: 'a DELETE whose target the analysis could not check',
    statement: { kind: 'delete', command: 'DELETE', dml: [] },
    strict: 'unbounded-write',
  },
  {
    name: 'DELETE with a real WHERE',
    statement: {
      kind: 'delete',
      command: 'DELETE',
      dml: [{ kind: 'delete', table: 'orders', hasWhere: true, whereAlwaysTrue: false }],
    },
    strict: undefined,
  },
  {
    name: 'COPY … TO PROGRAM',
    statement: {
      kind: 'copy',
      command: 'COPY',
      copy: { direction: 'to', target: 'program', table: 'users' },
    },
    strict: 'copy-program',
    reason: 'COPY … PROGRAM runs a program on the database server',
  },
  {
    name: 'COPY … FROM a server file',
    statement: {
      kind: 'copy',
      command: 'COPY',
      fileAccess: true,
      copy: { direction: 'from', target: 'file', table: 'users' },
    },
    strict: 'file-access',
    reason: 'COPY … FROM a file reads a file on the database server',
  },
  {
    name: 'COPY … TO STDOUT',
    statement: { kind: 'copy', command: 'COPY', copy: { direction: 'to', target: 'stdio', table: 'users' } },
    strict: undefined,
  },
  {
    name: 'pg_read_file()',
    statement: { functions: ['pg_read_file'], fileAccess: true },
    strict: 'file-access',
    reason: 'pg_read_file reads files on the database server',
  },
  {
    name: 'a schema-qualified pg_ls_dir() the analysis did not flag',
    statement: { functions: ['pg_catalog.pg_ls_dir'] },
    strict: 'file-access',
    reason: 'pg_ls_dir lists directories on the database server',
  },
  { name: 'lo_export()', statement: { functions: ['lo_export'] }, strict: 'file-access' },
  { name: 'LOAD_FILE()', statement: { dialect: 'mysql', functions: ['load_file'] }, strict: 'file-access' },
  {
    name: 'LOAD DATA INFILE',
    statement: { dialect: 'mysql', kind: 'insert', command: 'LOAD DATA', fileAccess: true },
    strict: 'file-access',
    reason: 'LOAD DATA reads a file into the database',
  },
  {
    name: 'SELECT … INTO OUTFILE',
    statement: { dialect: 'mysql', kind: 'select', fileAccess: true },
    strict: 'file-access',
    reason: 'SELECT … INTO OUTFILE writes files on the database server',
  },
  {
    name: 'a DO block',
    statement: { kind: 'other', command: 'DO', dynamicSql: true },
    strict: 'dynamic-sql',
    reason: 'DO blocks run dynamic SQL that cannot be inspected',
  },
  {
    name: 'EXECUTE',
    statement: { kind: 'other', command: 'EXECUTE', dynamicSql: true },
    strict: 'dynamic-sql',
  },
  {
    name: 'PREPARE … FROM a string',
    statement: { dialect: 'mysql', kind: 'other', command: 'PREPARE', dynamicSql: true },
    strict: 'dynamic-sql',
    reason: 'PREPARE … FROM builds a statement from text that cannot be inspected',
  },
  {
    name: 'dblink_exec()',
    statement: { functions: ['public.dblink_exec'] },
    strict: 'dynamic-sql',
    reason: 'dblink_exec runs SQL text that cannot be inspected',
  },
  {
    name: 'SET ROLE',
    statement: { kind: 'set', command: 'SET ROLE', settingChange: setting('role', 'postgres') },
    strict: 'role-switch',
    reason: 'SET ROLE changes the database role',
  },
  {
    name: 'SET LOCAL ROLE',
    statement: { kind: 'set', command: 'SET LOCAL ROLE', settingChange: setting('role', 'admin', 'local') },
    strict: 'role-switch',
  },
  {
    name: 'SET ROLE without a setting change in the analysis',
    statement: { kind: 'set', command: 'SET ROLE' },
    strict: 'role-switch',
  },
  {
    name: 'SET SESSION AUTHORIZATION',
    statement: {
      kind: 'set',
      command: 'SET SESSION AUTHORIZATION',
      settingChange: setting('session_authorization', 'postgres'),
    },
    strict: 'role-switch',
    reason: 'SET SESSION AUTHORIZATION changes the session user',
  },
  {
    name: 'RESET ROLE (back to the login role)',
    statement: { kind: 'set', command: 'RESET', settingChange: setting('role', null) },
    strict: undefined,
  },
  {
    name: 'SET ROLE NONE',
    statement: { kind: 'set', command: 'SET ROLE', settingChange: setting('role', 'NONE') },
    strict: undefined,
  },
  {
    name: "set_config('role', …)",
    statement: {
      text: "SELECT set_config('role', 'postgres', false)",
      functions: ['set_config'],
      settingChange: setting('role', 'postgres'),
      settingChanges: [setting('role', 'postgres')],
    },
    strict: 'role-switch',
    reason: 'SET ROLE changes the database role',
  },
  {
    name: "set_config('TimeZone', …) as Django sends it",
    statement: {
      functions: ['set_config'],
      settingChange: setting('timezone', 'UTC'),
      settingChanges: [setting('timezone', 'UTC')],
    },
    strict: undefined,
  },
  {
    name: 'set_config of a custom setting',
    statement: {
      functions: ['pg_catalog.set_config'],
      settingChange: setting('app.tenant_id', '$1'),
      settingChanges: [setting('app.tenant_id', '$1')],
    },
    strict: undefined,
  },
  {
    name: 'set_config of a setting named by a parameter',
    statement: {
      functions: ['set_config'],
      settingChange: setting('$1', '$2'),
      settingChanges: [setting('$1', '$2')],
    },
    strict: 'unfollowable-setting',
    reason: 'a setting named by an expression cannot be followed by the analyser',
  },
  {
    name: 'set_config whose settings the analysis did not report',
    statement: { functions: ['set_config'] },
    strict: 'unfollowable-setting',
    reason: 'set_config changes a setting the analyser cannot name',
  },
  {
    name: 'set_config in a query changing how strings are read (it may not run)',
    statement: {
      functions: ['set_config'],
      settingChange: setting('standard_conforming_strings', 'off'),
      settingChanges: [setting('app.x', '1'), setting('standard_conforming_strings', 'off')],
    },
    strict: 'unfollowable-setting',
    reason:
      'set_config of standard_conforming_strings off may or may not run, so the analyser cannot follow it',
  },
  {
    name: 'a SET of several settings whose second cannot be followed',
    statement: {
      kind: 'set',
      command: 'SET',
      settingChange: setting('application_name', 'x'),
      settingChanges: [setting('application_name', 'x'), setting('client_encoding', 'SJIS')],
    },
    strict: 'unfollowable-setting',
    reason: 'client_encoding SJIS cannot be followed by the analyser',
  },
  {
    name: 'a MySQL SET whose second assignment is global',
    statement: {
      dialect: 'mysql',
      kind: 'set',
      command: 'SET',
      settingChange: setting('autocommit', '1'),
      settingChanges: [setting('autocommit', '1'), setting('general_log', 'OFF', 'global')],
    },
    strict: 'alter-system',
  },
  {
    name: 'SET client_encoding to UTF8',
    statement: { kind: 'set', command: 'SET', settingChange: setting('client_encoding', 'UTF8') },
    strict: undefined,
  },
  {
    name: 'SET standard_conforming_strings = off (followed by the lexer)',
    statement: { kind: 'set', command: 'SET', settingChange: setting('standard_conforming_strings', 'off') },
    strict: undefined,
  },
  {
    name: 'SET search_path',
    statement: { kind: 'set', command: 'SET', settingChange: setting('search_path', 'a, b') },
    strict: 'search-path',
    standard: undefined,
  },
  {
    name: 'SET search_path to the server default',
    statement: { kind: 'set', command: 'SET', settingChange: setting('search_path', '$user, public') },
    strict: undefined,
  },
  {
    name: 'pg_terminate_backend of another backend',
    statement: {
      reach: { ...NO_REACH, signals: [{ action: 'terminate', target: { id: 7, start: 0, end: 1 } }] },
    },
    strict: 'other-sessions',
    reason: 'pg_terminate_backend ends a session that is not the caller’s own',
  },
  {
    name: 'pg_cancel_backend of the caller itself',
    statement: { reach: { ...NO_REACH, signals: [{ action: 'cancel', target: 'self' }] } },
    strict: undefined,
  },
  {
    name: 'a lock that blocks readers',
    statement: { kind: 'tcl', command: 'LOCK TABLE', reach: { ...NO_REACH, blockingLock: 'why' } },
    strict: 'blocking-lock',
    reason: 'why',
  },
  {
    name: 'a table rewrite',
    statement: { kind: 'other', command: 'VACUUM', reach: { ...NO_REACH, rewrite: 'why' } },
    strict: 'table-rewrite',
  },
  {
    name: 'an hour-long sleep',
    statement: { functions: ['pg_sleep'], reach: { ...NO_REACH, sleeps: [3600] } },
    strict: 'unbounded-work',
    standard: undefined,
    reason: 'a sleep of 3600 s holds the session for longer than 60 s',
  },
  {
    name: 'RESET ALL',
    statement: { kind: 'set', command: 'RESET', settingChange: setting('all', null) },
    strict: 'loosened-setting',
    standard: undefined,
  },
  {
    name: "DISCARD ALL (a pooled connection's reset)",
    statement: { kind: 'other', command: 'DISCARD', settingChange: setting('all', null) },
    strict: undefined,
  },
  {
    name: 'SET default_transaction_read_only = off',
    statement: {
      kind: 'set',
      command: 'SET',
      settingChange: setting('default_transaction_read_only', 'off'),
    },
    strict: 'loosened-setting',
    standard: undefined,
  },
  { name: 'a plain SELECT', statement: { tablesRead: ['users'] }, strict: undefined },
  {
    name: 'an INSERT',
    statement: { kind: 'insert', command: 'INSERT', tablesWritten: ['users'] },
    strict: undefined,
  },
];
