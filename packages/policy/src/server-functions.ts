/**
 * Functions that reach outside the SQL the gateway can see: the server's file system, or SQL
 * text run out of sight. Keys are bare lower-case names; a schema-qualified call
 * (`pg_catalog.pg_read_file`) is looked up by its last part.
 */
export const FILE_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['pg_read_file', 'reads files on the database server'],
  ['pg_read_binary_file', 'reads files on the database server'],
  ['pg_stat_file', 'inspects files on the database server'],
  ['pg_ls_dir', 'lists directories on the database server'],
  ['pg_ls_logdir', 'lists directories on the database server'],
  ['pg_ls_waldir', 'lists directories on the database server'],
  ['pg_ls_tmpdir', 'lists directories on the database server'],
  ['pg_ls_archive_statusdir', 'lists directories on the database server'],
  ['pg_ls_logicalmapdir', 'lists directories on the database server'],
  ['pg_ls_logicalsnapdir', 'lists directories on the database server'],
  ['pg_ls_replslotdir', 'lists directories on the database server'],
  ['lo_import', 'reads files on the database server'],
  ['lo_export', 'writes files on the database server'],
  // adminpack
  ['pg_file_write', 'writes files on the database server'],
  ['pg_file_rename', 'renames files on the database server'],
  ['pg_file_unlink', 'deletes files on the database server'],
  ['pg_logdir_ls', 'lists directories on the database server'],
  // MySQL / MariaDB
  ['load_file', 'reads files on the database server'],
]);

/** Functions whose argument is SQL text that runs where the analyser cannot look. */
export const SQL_TEXT_FUNCTIONS: ReadonlySet<string> = new Set([
  'dblink',
  'dblink_exec',
  'dblink_open',
  'dblink_send_query',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'ts_stat',
]);

/** `pg_catalog.pg_read_file` and `"pg_catalog"."PG_READ_FILE"` → `pg_read_file`. */
export function bareName(qualified: string): string {
  const unquoted = qualified.replace(/["`]/g, '');
  const lastDot = unquoted.lastIndexOf('.');
  return (lastDot < 0 ? unquoted : unquoted.slice(lastDot + 1)).toLowerCase();
}
