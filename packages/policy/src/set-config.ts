/**
 * `set_config(name, value, is_local)` is SET in function form: it can switch the role or change
 * how strings are read without a SET statement the lexer could follow. The analysis names the
 * function but not its arguments, so the setting names are read from the text here — and only
 * when every mention of `set_config` is a call whose first argument is a plain string literal.
 */
const SET_CONFIG = 'set_config';
const CALL_WITH_LITERAL_NAME = String.raw`"?\s*\(\s*'([A-Za-z0-9_.]{1,63})'\s*,`;

/** The settings a statement's `set_config` calls change, or `undefined` when one is not plainly named. */
export function settingsChangedBySetConfig(text: string): readonly string[] | undefined {
  const lowered = text.toLowerCase();
  const call = new RegExp(CALL_WITH_LITERAL_NAME, 'y');
  const names: string[] = [];
  for (let at = lowered.indexOf(SET_CONFIG); at >= 0; at = lowered.indexOf(SET_CONFIG, at + 1)) {
    call.lastIndex = at + SET_CONFIG.length;
    const name = call.exec(text)?.[1];
    if (name === undefined) return undefined;
    names.push(name.toLowerCase());
  }
  return names;
}

/**
 * Settings drivers and ORMs set through set_config (Django sets TimeZone, pg_dump search_path)
 * that neither switch the role nor change how SQL text is read.
 */
const HARMLESS_SETTINGS: ReadonlySet<string> = new Set([
  'application_name',
  'bytea_output',
  'client_min_messages',
  'datestyle',
  'default_transaction_isolation',
  'default_transaction_read_only',
  'extra_float_digits',
  'idle_in_transaction_session_timeout',
  'intervalstyle',
  'lock_timeout',
  'search_path',
  'statement_timeout',
  'timezone',
  'transaction_isolation',
  'transaction_read_only',
  'work_mem',
]);

/** Custom settings (`app.tenant_id`) always hold a dot and mean nothing to the server or lexer. */
export const isHarmlessSetting = (name: string): boolean => name.includes('.') || HARMLESS_SETTINGS.has(name);

export const ROLE_SETTINGS: ReadonlySet<string> = new Set(['role', 'session_authorization']);
