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
const notUnderstood = { kind: 'other', understood: false } as const;

const dangerous: CorpusCase[] = [
  // executable comments are code
  { sql: '/*!50000 DROP TABLE users */', expect: dropUsers },
  { sql: '/*! DROP TABLE users */', expect: dropUsers },
  {
    sql: '/*!32302 TRUNCATE users */',
    expect: { kind: 'delete', command: 'TRUNCATE', dml: [noWhere('delete', 'users')] },
  },
  {
    sql: "SELECT 1 /*!, LOAD_FILE('/etc/passwd') */",
    expect: { kind: 'select', fileAccess: true, functions: ['load_file'] },
  },
  { sql: 'DELETE /*! FROM users */', expect: deleteAll },
  // a version-gated comment runs on some servers only
  { sql: 'DELETE FROM users /*!99999 WHERE id = 1 */', expect: { kind: 'delete', understood: false } },
  { sql: '/*M!100100 DROP TABLE users */', expect: dropUsers },
  { sql: 'SELECT 1 /*M!100100 ; DROP TABLE users */', expect: [{ kind: 'select' }, dropUsers] },
  { sql: 'SELECT * FROM t /*!80000 , users */', expect: { kind: 'select', understood: false } },
  // DROP / TRUNCATE / ALTER / RENAME
  { sql: 'DROP TABLE `users`', expect: dropUsers },
  { sql: 'drop table users', expect: dropUsers },
  { sql: 'DROP # comment\nTABLE users', expect: dropUsers },
  { sql: 'DROP -- comment\nTABLE users', expect: dropUsers },
  { sql: 'DROP TABLE IF EXISTS shop.users', expect: { kind: 'ddl', tablesWritten: ['shop.users'] } },
  { sql: 'DROP DATABASE shop', expect: { kind: 'ddl', command: 'DROP DATABASE' } },
  {
    sql: 'TRUNCATE TABLE orders',
    expect: { kind: 'delete', command: 'TRUNCATE', dml: [noWhere('delete', 'orders')] },
  },
  {
    sql: 'ALTER TABLE users DROP COLUMN email',
    expect: { kind: 'ddl', command: 'ALTER TABLE', tablesWritten: ['users'] },
  },
  {
    sql: 'ALTER ONLINE TABLE users ADD INDEX (email)',
    expect: { kind: 'ddl', command: 'ALTER TABLE', tablesWritten: ['users'] },
  },
  {
    sql: 'RENAME TABLE users TO old_users',
    expect: { kind: 'ddl', command: 'RENAME TABLE', tablesWritten: ['users', 'old_users'] },
  },
  // users, roles, privileges
  { sql: "CREATE USER 'evil'@'%' IDENTIFIED BY 'x'", expect: { kind: 'dcl', command: 'CREATE USER' } },
  { sql: "DROP USER 'bob'@'localhost'", expect: { kind: 'dcl', command: 'DROP USER' } },
  { sql: "ALTER USER 'root'@'localhost' IDENTIFIED BY 'x'", expect: { kind: 'dcl', command: 'ALTER USER' } },
  { sql: "CREATE ROLE 'admin'", expect: { kind: 'dcl', command: 'CREATE ROLE' } },
  { sql: "RENAME USER 'bob'@'%' TO 'robert'@'%'", expect: { kind: 'dcl', command: 'RENAME USER' } },
  {
    sql: "GRANT ALL ON *.* TO 'evil'@'%'",
    expect: { kind: 'dcl', command: 'GRANT', tablesWritten: ['*.*'] },
  },
  {
    sql: "GRANT SELECT ON shop.users TO 'bob'@'%'",
    expect: { kind: 'dcl', command: 'GRANT', tablesWritten: ['shop.users'] },
  },
  {
    sql: "REVOKE ALL PRIVILEGES ON shop.* FROM 'bob'@'%'",
    expect: { kind: 'dcl', command: 'REVOKE', tablesWritten: ['shop.*'] },
  },
  { sql: "SET PASSWORD FOR 'root'@'localhost' = 'x'", expect: { kind: 'dcl', command: 'SET PASSWORD' } },
  { sql: "SET DEFAULT ROLE ALL TO 'bob'@'%'", expect: { kind: 'dcl', command: 'SET DEFAULT ROLE' } },
  {
    sql: "SET ROLE 'admin'",
    expect: {
      kind: 'set',
      command: 'SET ROLE',
      settingChange: { name: 'role', value: 'admin', scope: 'session' },
    },
  },
  // DELETE / UPDATE without WHERE or with a constant-true WHERE
  { sql: 'DELETE FROM users', expect: deleteAll },
  { sql: 'delete from `users`', expect: deleteAll },
  { sql: 'DELETE LOW_PRIORITY QUICK IGNORE FROM users', expect: deleteAll },
  { sql: 'DELETE FROM users ORDER BY id LIMIT 100', expect: deleteAll },
  { sql: 'DELETE FROM users WHERE 1', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE 1=1 LIMIT 10', expect: deleteTautology },
  { sql: "DELETE FROM users WHERE 'a' = 'A'", expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE id = id', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE true || id = 1', expect: deleteTautology },
  { sql: "DELETE FROM users WHERE '1abc' = 1", expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE NOT 0', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE 1 && 1', expect: deleteTautology },
  { sql: 'DELETE FROM users WHERE id <=> id', expect: deleteTautology },
  {
    sql: 'DELETE u FROM users u JOIN orders o ON o.user_id = u.id',
    expect: {
      kind: 'delete',
      tablesRead: ['users', 'orders'],
      tablesWritten: ['users'],
      dml: [noWhere('delete', 'users')],
    },
  },
  {
    sql: 'DELETE FROM t1, t2 USING t1 JOIN t2 ON t1.id = t2.id',
    expect: {
      kind: 'delete',
      tablesWritten: ['t1', 't2'],
      dml: [noWhere('delete', 't1'), noWhere('delete', 't2')],
    },
  },
  { sql: 'UPDATE users SET admin = 1', expect: { kind: 'update', dml: [noWhere('update', 'users')] } },
  {
    sql: 'UPDATE users SET admin = 1 WHERE 1',
    expect: { kind: 'update', dml: [alwaysTrue('update', 'users')] },
  },
  {
    sql: 'UPDATE LOW_PRIORITY IGNORE users SET n = 1 ORDER BY id LIMIT 5',
    expect: { kind: 'update', dml: [noWhere('update', 'users')] },
  },
  {
    // Both tables of a multi-table UPDATE count as written: which ones change depends on SET.
    sql: 'UPDATE users u JOIN orders o ON o.user_id = u.id SET u.flag = 1',
    expect: {
      kind: 'update',
      tablesWritten: ['users', 'orders'],
      dml: [noWhere('update', 'users'), noWhere('update', 'orders')],
    },
  },
  // file access
  {
    sql: "LOAD DATA INFILE '/etc/passwd' INTO TABLE users",
    expect: {
      kind: 'copy',
      command: 'LOAD DATA',
      fileAccess: true,
      tablesWritten: ['users'],
      copy: { direction: 'from', target: 'file', table: 'users' },
    },
  },
  {
    sql: "LOAD DATA LOCAL INFILE 'data.csv' REPLACE INTO TABLE users FIELDS TERMINATED BY ','",
    expect: { kind: 'copy', command: 'LOAD DATA', fileAccess: true, tablesWritten: ['users'] },
  },
  {
    sql: "LOAD XML LOCAL INFILE 'users.xml' INTO TABLE users",
    expect: { kind: 'copy', command: 'LOAD XML', fileAccess: true },
  },
  {
    sql: "SELECT * FROM users INTO OUTFILE '/var/www/users.txt'",
    expect: { kind: 'select', tablesRead: ['users'], fileAccess: true },
  },
  {
    sql: "SELECT '<?php system($_GET[c]); ?>' INTO DUMPFILE '/var/www/shell.php'",
    expect: { kind: 'select', fileAccess: true },
  },
  {
    sql: "SELECT LOAD_FILE('/etc/passwd')",
    expect: { kind: 'select', functions: ['load_file'], fileAccess: true },
  },
  { sql: 'select load_file(0x2f6574632f706173737764)', expect: { kind: 'select', fileAccess: true } },
  { sql: "SELECT SQL_NO_CACHE load_file('/etc/passwd')", expect: { kind: 'select', fileAccess: true } },
  { sql: "SET @secret = LOAD_FILE('/etc/passwd')", expect: { kind: 'set', fileAccess: true } },
  {
    sql: 'SET @top = (SELECT MAX(salary) FROM payroll.salaries)',
    expect: {
      kind: 'set',
      tablesRead: ['payroll.salaries'],
      settingChange: { name: '@top', value: '(SELECT MAX(salary) FROM payroll.salaries)', scope: 'session' },
    },
  },
  {
    sql: "SHOW VARIABLES WHERE Variable_name = LOAD_FILE('/etc/passwd')",
    expect: { kind: 'show', fileAccess: true },
  },
  // dynamic SQL
  {
    sql: "PREPARE s FROM 'DROP TABLE users'",
    expect: { kind: 'other', command: 'PREPARE', dynamicSql: true },
  },
  { sql: 'PREPARE s FROM @sql', expect: { kind: 'other', command: 'PREPARE', dynamicSql: true } },
  { sql: 'EXECUTE s', expect: { kind: 'other', command: 'EXECUTE', dynamicSql: true } },
  { sql: 'EXECUTE s USING @a, @b', expect: { kind: 'other', command: 'EXECUTE', dynamicSql: true } },
  {
    sql: "EXECUTE IMMEDIATE 'DROP TABLE users'",
    expect: { kind: 'other', command: 'EXECUTE IMMEDIATE', dynamicSql: true },
  },
  {
    sql: "SET @sql = 'DROP TABLE t'; PREPARE s FROM @sql; EXECUTE s",
    expect: [
      { kind: 'set', settingChange: { name: '@sql', value: 'DROP TABLE t', scope: 'session' } },
      { kind: 'other', dynamicSql: true },
      { kind: 'other', dynamicSql: true },
    ],
  },
  { sql: "CALL sys.execute_prepared_stmt('DROP TABLE t')", expect: { kind: 'call', dynamicSql: true } },
  {
    sql: "BINLOG 'gCR2Wg8BAAAAdwAAAHsAAAAAAAQANS43LjE5'",
    expect: { kind: 'other', command: 'BINLOG', dynamicSql: true },
  },
  {
    sql: 'BEGIN NOT ATOMIC DELETE FROM users; END',
    expect: { kind: 'other', dynamicSql: true, dml: [noWhere('delete', 'users')] },
  },
  // server administration
  { sql: "INSTALL PLUGIN evil SONAME 'evil.so'", expect: { kind: 'ddl', command: 'INSTALL' } },
  {
    sql: "SET GLOBAL general_log = 'ON'",
    expect: { kind: 'set', settingChange: { name: 'general_log', value: 'ON', scope: 'global' } },
  },
  {
    sql: 'SET @@global.read_only = 0',
    expect: { kind: 'set', settingChange: { name: 'read_only', value: '0', scope: 'global' } },
  },
  { sql: 'SHUTDOWN', expect: { kind: 'other', command: 'SHUTDOWN' } },
  { sql: 'KILL 42', expect: { kind: 'other', command: 'KILL' } },
  {
    sql: 'SET NAMES gbk',
    expect: { kind: 'set', settingChange: { name: 'names', value: 'gbk', scope: 'session' } },
  },
  // stacked statements
  { sql: 'SELECT 1; DROP TABLE users', expect: [{ kind: 'select' }, dropUsers] },
  { sql: "SELECT 'it''s; fine'; DELETE FROM users", expect: [{ kind: 'select' }, deleteAll] },
  { sql: "SELECT 'a\\'; DELETE FROM users; -- '", expect: { kind: 'select' } },
  // what cannot be analysed
  { sql: 'SELEC 1', expect: notUnderstood },
  { sql: 'DELETE', expect: { kind: 'delete', understood: false } },
  { sql: "SELECT 'unterminated", expect: notUnderstood },
  { sql: 'SELECT "unterminated', expect: notUnderstood },
  { sql: '/*! DROP TABLE users', expect: notUnderstood },
  { sql: 'END', expect: notUnderstood },
];

const select = { kind: 'select', command: 'SELECT' } as const;

const ordinary: CorpusCase[] = [
  // OLTP
  { sql: 'SELECT * FROM users WHERE id = ?', expect: { ...select, tablesRead: ['users'] } },
  {
    sql: 'SELECT `id`, `email` FROM `users` WHERE `id` = ? LIMIT 1',
    expect: { ...select, tablesRead: ['users'] },
  },
  { sql: 'INSERT INTO users (email) VALUES (?)', expect: { kind: 'insert', tablesWritten: ['users'] } },
  { sql: "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')", expect: { kind: 'insert', tablesWritten: ['t'] } },
  { sql: 'INSERT IGNORE INTO t VALUES (1)', expect: { kind: 'insert', tablesWritten: ['t'] } },
  { sql: 'INSERT t (a) VALUES (1)', expect: { kind: 'insert', tablesWritten: ['t'] } },
  {
    sql: 'REPLACE INTO t (id) VALUES (1)',
    expect: { kind: 'insert', command: 'REPLACE', tablesWritten: ['t'] },
  },
  { sql: 'INSERT INTO t SET a = 1, b = 2', expect: { kind: 'insert', tablesWritten: ['t'] } },
  {
    sql: 'INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(a)',
    expect: { kind: 'insert', tablesWritten: ['t'], dml: [] },
  },
  {
    sql: 'UPDATE users SET name = ? WHERE id = ?',
    expect: { kind: 'update', dml: [restricted('update', 'users')] },
  },
  {
    sql: 'DELETE FROM sessions WHERE expires < NOW()',
    expect: { kind: 'delete', dml: [restricted('delete', 'sessions')] },
  },
  {
    sql: 'DELETE FROM t WHERE id IN (1, 2, 3)',
    expect: { kind: 'delete', dml: [restricted('delete', 't')] },
  },
  { sql: 'SELECT COUNT(*) FROM orders', expect: { ...select, tablesRead: ['orders'] } },
  {
    sql: 'SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > 100 ORDER BY o.id DESC LIMIT 10',
    expect: { ...select, tablesRead: ['orders', 'users'] },
  },
  { sql: 'SELECT * FROM t FOR UPDATE', expect: { ...select, tablesRead: ['t'] } },
  { sql: 'SELECT * FROM t LOCK IN SHARE MODE', expect: { ...select, tablesRead: ['t'] } },
  { sql: 'SELECT * FROM t1 WHERE a IN (SELECT b FROM t2)', expect: { ...select, tablesRead: ['t1', 't2'] } },
  {
    sql: 'WITH recent AS (SELECT * FROM orders WHERE created_at > NOW() - INTERVAL 1 DAY) SELECT COUNT(*) FROM recent',
    expect: { ...select, tablesRead: ['orders'] },
  },
  { sql: 'SELECT 1 FROM DUAL', expect: { ...select, tablesRead: [] } },
  {
    sql: "SELECT JSON_EXTRACT(data, '$.a') FROM t",
    expect: { ...select, tablesRead: ['t'], functions: ['json_extract'] },
  },
  { sql: 'SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 10', expect: { ...select, tablesRead: ['t'] } },
  { sql: 'SELECT FOUND_ROWS()', expect: select },
  { sql: 'SELECT LAST_INSERT_ID()', expect: select },
  { sql: 'SELECT "a double-quoted string" FROM t', expect: { ...select, tablesRead: ['t'] } },
  {
    sql: 'SELECT * FROM `shop`.`order items` WHERE `qty` > 0',
    expect: { ...select, tablesRead: ['shop.order items'] },
  },
  { sql: 'SELECT * FROM 2fa_codes WHERE user_id = ?', expect: { ...select, tablesRead: ['2fa_codes'] } },
  { sql: 'select * from `users` where `id` = ? limit ?', expect: { ...select, tablesRead: ['users'] } },
  { sql: 'SELECT * FROM t USE INDEX (idx_a) WHERE a = 1', expect: { ...select, tablesRead: ['t'] } },
  { sql: 'SELECT a FROM t1 UNION ALL SELECT a FROM t2', expect: { ...select, tablesRead: ['t1', 't2'] } },
  // drivers and tools at connect time
  { sql: 'SELECT @@version_comment LIMIT 1', expect: select },
  {
    sql: 'SET NAMES utf8mb4',
    expect: { kind: 'set', settingChange: { name: 'names', value: 'utf8mb4', scope: 'session' } },
  },
  {
    sql: 'SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci',
    expect: { kind: 'set', settingChange: { name: 'names', value: 'utf8mb4', scope: 'session' } },
  },
  {
    sql: 'SET CHARACTER SET utf8mb4',
    expect: { kind: 'set', settingChange: { name: 'names', value: 'utf8mb4', scope: 'session' } },
  },
  {
    sql: 'SET autocommit=1',
    expect: { kind: 'set', settingChange: { name: 'autocommit', value: '1', scope: 'session' } },
  },
  {
    sql: "SET sql_mode='STRICT_TRANS_TABLES'",
    expect: {
      kind: 'set',
      settingChange: { name: 'sql_mode', value: 'STRICT_TRANS_TABLES', scope: 'session' },
    },
  },
  {
    sql: "SET SESSION sql_mode = 'ANSI_QUOTES'",
    expect: { kind: 'set', settingChange: { name: 'sql_mode', value: 'ANSI_QUOTES', scope: 'session' } },
  },
  {
    sql: "SET @@SESSION.sql_mode = CONCAT(CONCAT(@@sql_mode, ',STRICT_ALL_TABLES'), ',NO_AUTO_VALUE_ON_ZERO')",
    expect: {
      kind: 'set',
      settingChange: {
        name: 'sql_mode',
        value: "CONCAT(CONCAT(@@sql_mode, ',STRICT_ALL_TABLES'), ',NO_AUTO_VALUE_ON_ZERO')",
        scope: 'session',
      },
    },
  },
  {
    sql: "SET @@session.sql_mode = 'NO_BACKSLASH_ESCAPES', autocommit = 1",
    expect: {
      kind: 'set',
      settingChange: { name: 'sql_mode', value: 'NO_BACKSLASH_ESCAPES', scope: 'session' },
    },
  },
  {
    sql: 'SET character_set_results = NULL',
    expect: {
      kind: 'set',
      settingChange: { name: 'character_set_results', value: 'NULL', scope: 'session' },
    },
  },
  {
    sql: 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
    expect: { kind: 'tcl', command: 'SET TRANSACTION' },
  },
  { sql: 'SELECT DATABASE()', expect: select },
  { sql: 'SELECT VERSION()', expect: select },
  { sql: 'SELECT @@session.transaction_isolation', expect: select },
  { sql: 'SELECT @@sql_mode, @@tx_isolation', expect: select },
  {
    sql: '/* mysql-connector-java-8.0.33 */SELECT  @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS character_set_client, @@character_set_connection AS character_set_connection, @@max_allowed_packet AS max_allowed_packet, @@sql_mode AS sql_mode, @@system_time_zone AS system_time_zone, @@time_zone AS time_zone, @@transaction_isolation AS transaction_isolation, @@wait_timeout AS wait_timeout',
    expect: select,
  },
  { sql: "SELECT CAST('test plain returns' AS CHAR(60)) AS anon_1", expect: select },
  {
    sql: 'SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
    expect: { ...select, tablesRead: ['information_schema.tables'] },
  },
  {
    sql: '/*!40101 SET NAMES utf8 */',
    expect: { kind: 'set', settingChange: { name: 'names', value: 'utf8', scope: 'session' } },
  },
  {
    sql: '/*!40014 SET FOREIGN_KEY_CHECKS=0 */',
    expect: { kind: 'set', settingChange: { name: 'foreign_key_checks', value: '0', scope: 'session' } },
  },
  // SHOW / DESCRIBE / EXPLAIN
  { sql: "SHOW VARIABLES LIKE 'max_allowed_packet'", expect: { kind: 'show', command: 'SHOW' } },
  { sql: 'SHOW WARNINGS', expect: { kind: 'show' } },
  { sql: 'SHOW FULL TABLES', expect: { kind: 'show' } },
  { sql: 'SHOW DATABASES', expect: { kind: 'show' } },
  { sql: 'SHOW CREATE TABLE users', expect: { kind: 'show' } },
  { sql: 'SHOW COLUMNS FROM users', expect: { kind: 'show' } },
  { sql: 'SHOW INDEX FROM users', expect: { kind: 'show' } },
  { sql: 'SHOW GRANTS', expect: { kind: 'show' } },
  { sql: 'SHOW ENGINE INNODB STATUS', expect: { kind: 'show' } },
  { sql: 'DESCRIBE users', expect: { kind: 'show', command: 'DESCRIBE' } },
  { sql: 'DESC users', expect: { kind: 'show', command: 'DESCRIBE' } },
  { sql: 'EXPLAIN users', expect: { kind: 'show', command: 'DESCRIBE' } },
  { sql: 'EXPLAIN SELECT * FROM users', expect: { kind: 'show', command: 'EXPLAIN', tablesRead: ['users'] } },
  { sql: 'EXPLAIN FORMAT=JSON SELECT 1', expect: { kind: 'show', command: 'EXPLAIN' } },
  {
    sql: 'EXPLAIN ANALYZE SELECT * FROM users',
    expect: { kind: 'select', command: 'EXPLAIN', tablesRead: ['users'] },
  },
  { sql: "HELP 'SELECT'", expect: { kind: 'show', command: 'HELP' } },
  // transactions and session
  { sql: 'START TRANSACTION', expect: { kind: 'tcl', command: 'START TRANSACTION' } },
  { sql: 'START TRANSACTION READ ONLY', expect: { kind: 'tcl', command: 'START TRANSACTION' } },
  { sql: 'BEGIN', expect: { kind: 'tcl', command: 'BEGIN' } },
  { sql: 'BEGIN WORK', expect: { kind: 'tcl', command: 'BEGIN' } },
  { sql: 'COMMIT', expect: { kind: 'tcl', command: 'COMMIT' } },
  { sql: 'ROLLBACK', expect: { kind: 'tcl', command: 'ROLLBACK' } },
  { sql: 'SAVEPOINT sp1', expect: { kind: 'tcl', command: 'SAVEPOINT' } },
  { sql: 'ROLLBACK TO SAVEPOINT sp1', expect: { kind: 'tcl', command: 'ROLLBACK TO SAVEPOINT' } },
  { sql: 'RELEASE SAVEPOINT sp1', expect: { kind: 'tcl', command: 'RELEASE SAVEPOINT' } },
  { sql: "XA START 'tx1'", expect: { kind: 'tcl', command: 'XA START' } },
  {
    sql: 'LOCK TABLES users READ, orders WRITE',
    expect: { kind: 'tcl', command: 'LOCK TABLES', tablesRead: ['users', 'orders'] },
  },
  { sql: 'UNLOCK TABLES', expect: { kind: 'tcl', command: 'UNLOCK TABLES' } },
  {
    sql: 'USE shop',
    expect: {
      kind: 'set',
      command: 'USE',
      settingChange: { name: 'database', value: 'shop', scope: 'session' },
    },
  },
  {
    sql: 'SET @count = 0',
    expect: { kind: 'set', settingChange: { name: '@count', value: '0', scope: 'session' } },
  },
  { sql: 'DO SLEEP(1)', expect: { kind: 'other', command: 'DO', dynamicSql: false, functions: ['sleep'] } },
  { sql: 'CALL refresh_stats(1)', expect: { kind: 'call', command: 'CALL', functions: ['refresh_stats'] } },
  { sql: 'HANDLER users OPEN', expect: { kind: 'select', command: 'HANDLER', tablesRead: ['users'] } },
  { sql: 'ANALYZE TABLE users', expect: { kind: 'other', command: 'ANALYZE TABLE' } },
  { sql: 'OPTIMIZE TABLE users', expect: { kind: 'other', command: 'OPTIMIZE TABLE' } },
  { sql: 'FLUSH PRIVILEGES', expect: { kind: 'other', command: 'FLUSH' } },
  { sql: 'DEALLOCATE PREPARE s', expect: { kind: 'other', command: 'DEALLOCATE' } },
  { sql: 'DROP PREPARE s', expect: { kind: 'other', command: 'DEALLOCATE' } },
  // everyday DDL
  {
    sql: 'CREATE TABLE IF NOT EXISTS notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT) ENGINE=InnoDB',
    expect: { kind: 'ddl', command: 'CREATE TABLE', tablesWritten: ['notes'] },
  },
  {
    sql: 'CREATE INDEX idx_body ON notes (body(20))',
    expect: { kind: 'ddl', command: 'CREATE INDEX', tablesWritten: ['notes'] },
  },
  {
    sql: 'CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN SELECT 1; SELECT 2; END',
    expect: { kind: 'ddl', command: 'CREATE PROCEDURE', dml: [] },
  },
  // a transaction in one string
  {
    sql: 'START TRANSACTION; UPDATE users SET name = ? WHERE id = ?; COMMIT',
    expect: [{ kind: 'tcl' }, { kind: 'update', dml: [restricted('update', 'users')] }, { kind: 'tcl' }],
  },
];

export const mysqlCorpus: Corpus = { dangerous, ordinary };
