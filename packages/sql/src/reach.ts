import { isName, isOperator, isPunctuation, isWord, type Token } from './tokens.js';
import type { Dialect, SessionReach, SessionSignal } from './types.js';

export const NO_REACH: SessionReach = Object.freeze({
  signals: Object.freeze([]),
  blockingLock: null,
  rewrite: null,
  sleeps: Object.freeze([]),
  repeats: Object.freeze([]),
  readWrite: false,
});

/** Functions that signal a server process, and what the signal does to it. */
const SIGNAL_FUNCTIONS: ReadonlyMap<string, SessionSignal['action']> = new Map([
  ['pg_cancel_backend', 'cancel'],
  ['pg_terminate_backend', 'terminate'],
]);
/** Functions that name the caller's own server process or thread. */
const SELF_FUNCTIONS: ReadonlySet<string> = new Set(['pg_backend_pid', 'connection_id']);
const SLEEP_FUNCTIONS: ReadonlySet<string> = new Set(['pg_sleep', 'pg_sleep_for', 'pg_sleep_until', 'sleep']);

/** `pg_catalog.pg_sleep`, `"PG_SLEEP"` → whether the call is one this module reads. */
function isCallOfInterest(qualified: string): boolean {
  const name = qualified
    .slice(qualified.lastIndexOf('.') + 1)
    .replace(/["`]/g, '')
    .toLowerCase();
  return SIGNAL_FUNCTIONS.has(name) || SLEEP_FUNCTIONS.has(name) || name === 'benchmark';
}

/** Commands whose words this module reads; any other statement is looked at only for calls. */
const COMMANDS: ReadonlySet<string> = new Set([
  'LOCK',
  'FLUSH',
  'HANDLER',
  'VACUUM',
  'CLUSTER',
  'REINDEX',
  'REFRESH',
  'OPTIMIZE',
  'KILL',
  'SET',
  'BEGIN',
  'START',
  'BACKUP',
]);

const INTERVAL =
  /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)?\s*$/i;
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { ms: 0.001, m: 60, h: 3600, d: 86400 };

/** `'1 hour'` → 3600; null when the text is not one plain quantity. */
function intervalSeconds(text: string): number | null {
  const match = INTERVAL.exec(text);
  if (!match) return null;
  const unit = (match[2] ?? 's').toLowerCase();
  const key = unit.startsWith('ms') || unit.startsWith('milli') ? 'ms' : unit.charAt(0);
  return Number(match[1]) * (SECONDS_PER_UNIT[key] ?? 1);
}

/** The index of the `)` that closes the `(` at `open`, or the end of the tokens. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index += 1) {
    const token = tokens[index] as Token;
    if (isPunctuation(token, '(')) depth += 1;
    else if (isPunctuation(token, ')')) {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return tokens.length;
}

/** The first argument of a call whose `(` is at `open`: its tokens, up to a top-level comma. */
function firstArgument(tokens: readonly Token[], open: number): readonly Token[] {
  const end = closing(tokens, open);
  let depth = 0;
  for (let index = open + 1; index < end; index += 1) {
    const token = tokens[index] as Token;
    if (isPunctuation(token, '(')) depth += 1;
    else if (isPunctuation(token, ')')) depth -= 1;
    else if (depth === 0 && isPunctuation(token, ',')) return tokens.slice(open + 1, index);
  }
  return tokens.slice(open + 1, end);
}

/** A value written as one number (optionally cast: `42::int`), or a numeric string literal. */
function constantOf(argument: readonly Token[]): number | null {
  const [value, cast] = argument;
  if (value === undefined || (argument.length > 1 && !isOperator(cast, '::'))) return null;
  if (argument.length > 1 && argument.length !== 3) return null;
  if (value.kind === 'number' || value.kind === 'string') {
    const number = Number(value.value);
    return value.value.trim() !== '' && Number.isFinite(number) ? number : null;
  }
  return null;
}

/** `pg_backend_pid()` / `CONNECTION_ID()`: the caller itself. */
function namesSelf(argument: readonly Token[]): boolean {
  const at = argument.length - 3;
  return (
    at >= 0 &&
    isName(argument[at]) &&
    SELF_FUNCTIONS.has((argument[at] as Token).value.toLowerCase()) &&
    isPunctuation(argument[at + 1], '(') &&
    isPunctuation(argument[at + 2], ')') &&
    // Unqualified or in pg_catalog: a function of the same name in another schema is not the server's.
    (at === 0 || (at === 2 && isWord(argument[0], 'pg_catalog') && isPunctuation(argument[1], '.')))
  );
}

function targetOf(argument: readonly Token[]): SessionSignal['target'] {
  if (namesSelf(argument)) return 'self';
  const value = constantOf(argument);
  const token = argument[0] as Token;
  if (value === null || !Number.isInteger(value) || token.kind !== 'number') return null;
  return { id: value, start: token.start, end: token.end };
}

interface Collected {
  signals: SessionSignal[];
  sleeps: (number | null)[];
  repeats: (number | null)[];
}

function collectCalls(tokens: readonly Token[], into: Collected): void {
  for (let index = 0; index + 1 < tokens.length; index += 1) {
    const token = tokens[index] as Token;
    if (!isName(token) || !isPunctuation(tokens[index + 1], '(')) continue;
    const name = token.value.toLowerCase();
    const action = SIGNAL_FUNCTIONS.get(name);
    if (action !== undefined) {
      into.signals.push({ action, target: targetOf(firstArgument(tokens, index + 1)) });
    } else if (SLEEP_FUNCTIONS.has(name)) {
      const argument = firstArgument(tokens, index + 1);
      const [only] = argument;
      if (name === 'pg_sleep_until') into.sleeps.push(null);
      else if (name === 'pg_sleep_for')
        into.sleeps.push(
          argument.length === 1 && only?.kind === 'string' ? intervalSeconds(only.value) : null,
        );
      else into.sleeps.push(constantOf(argument));
    } else if (name === 'benchmark') {
      into.repeats.push(constantOf(firstArgument(tokens, index + 1)));
    }
  }
}

/** MySQL `KILL [HARD | SOFT] [CONNECTION | QUERY] id`; `KILL QUERY ID n` and `KILL USER u` name no thread. */
function killSignal(words: readonly Token[]): SessionSignal {
  let index = 1;
  if (isWord(words[index], 'hard') || isWord(words[index], 'soft')) index += 1;
  let action: SessionSignal['action'] = 'terminate';
  if (isWord(words[index], 'query')) {
    action = 'cancel';
    index += 1;
  } else if (isWord(words[index], 'connection')) index += 1;
  if (isWord(words[index], 'id') || isWord(words[index], 'user')) return { action, target: null };
  return { action, target: targetOf(words.slice(index)) };
}

const has = (tokens: readonly Token[], word: string): boolean => tokens.some((token) => isWord(token, word));

/** What a LOCK statement holds that others wait for; null for modes that let readers in. */
function lockOf(tokens: readonly Token[], dialect: Dialect): string | null {
  if (dialect === 'mysql') {
    if (isWord(tokens[1], 'instance')) return 'LOCK INSTANCE FOR BACKUP stops writes on the whole server';
    return has(tokens, 'write') ? 'LOCK TABLES … WRITE stops every other session using the tables' : null;
  }
  const mode = tokens.findIndex((token) => isWord(token, 'mode'));
  // Without IN … MODE, PostgreSQL takes ACCESS EXCLUSIVE, which blocks even readers.
  const exclusiveForAll =
    mode < 0 || (isWord(tokens[mode - 2], 'access') && isWord(tokens[mode - 1], 'exclusive'));
  return exclusiveForAll
    ? 'LOCK TABLE in ACCESS EXCLUSIVE mode stops every other session, readers too'
    : null;
}

/** Locks that stop other sessions and table rewrites that hold one for as long as they run. */
function commandReach(
  tokens: readonly Token[],
  verb: string,
  dialect: Dialect,
): Pick<SessionReach, 'blockingLock' | 'rewrite'> {
  const none = { blockingLock: null, rewrite: null };
  switch (verb) {
    case 'LOCK':
      return { blockingLock: lockOf(tokens, dialect), rewrite: null };
    case 'FLUSH':
      if (has(tokens, 'lock'))
        return { blockingLock: 'FLUSH … WITH READ LOCK stops writes on the whole server', rewrite: null };
      return has(tokens, 'tables') || has(tokens, 'table')
        ? { blockingLock: 'FLUSH TABLES waits for and blocks every session using the tables', rewrite: null }
        : none;
    case 'HANDLER':
      return has(tokens, 'open')
        ? { blockingLock: 'HANDLER … OPEN holds the table open, blocking changes to it', rewrite: null }
        : none;
    case 'BACKUP':
      return { blockingLock: 'BACKUP STAGE blocks writes on the whole server', rewrite: null };
    case 'VACUUM':
      return has(tokens, 'full')
        ? { blockingLock: null, rewrite: 'VACUUM FULL rewrites tables, locking out readers and writers' }
        : none;
    case 'CLUSTER':
      return { blockingLock: null, rewrite: 'CLUSTER rewrites a table, locking out readers and writers' };
    case 'REINDEX':
      return has(tokens, 'concurrently')
        ? none
        : { blockingLock: null, rewrite: 'REINDEX blocks writes to the table while it rebuilds' };
    case 'REFRESH':
      return has(tokens, 'concurrently')
        ? none
        : {
            blockingLock: null,
            rewrite: 'REFRESH MATERIALIZED VIEW locks out readers of the view while it runs',
          };
    case 'OPTIMIZE':
      return { blockingLock: null, rewrite: 'OPTIMIZE TABLE rebuilds tables, blocking writes to them' };
    default:
      return none;
  }
}

/** `… READ WRITE` after SET [SESSION CHARACTERISTICS AS] TRANSACTION, BEGIN or START TRANSACTION. */
function readWriteOf(tokens: readonly Token[], verb: string): boolean {
  if (verb === 'SET' && !has(tokens, 'transaction')) return false;
  return tokens.some((token, index) => isWord(token, 'read') && isWord(tokens[index + 1], 'write'));
}

/**
 * What a statement does beyond its own rows: signals to other server processes, locks others wait
 * for, table rewrites, sleeps and busy loops, a switch to read-write. Read from the statement's
 * own tokens (literals matter), for the few commands and calls that can have such reach.
 */
export function reachOf(
  tokens: readonly Token[],
  command: string,
  functions: readonly string[],
  dialect: Dialect,
): SessionReach {
  const space = command.indexOf(' ');
  const verb = space < 0 ? command : command.slice(0, space);
  const readsCommand = COMMANDS.has(verb);
  const readsCalls = functions.some(isCallOfInterest);
  if (!readsCommand && !readsCalls) return NO_REACH;
  const words = readsCommand ? tokens.filter((token) => token.kind !== 'semicolon') : tokens;
  const collected: Collected = { signals: [], sleeps: [], repeats: [] };
  if (verb === 'KILL') collected.signals.push(killSignal(words));
  if (readsCalls) collectCalls(tokens, collected);
  const { blockingLock, rewrite } = readsCommand
    ? commandReach(words, verb, dialect)
    : { blockingLock: null, rewrite: null };
  const readWrite = readsCommand && readWriteOf(words, verb);
  if (
    collected.signals.length === 0 &&
    collected.sleeps.length === 0 &&
    collected.repeats.length === 0 &&
    blockingLock === null &&
    rewrite === null &&
    !readWrite
  )
    return NO_REACH;
  return { ...collected, blockingLock, rewrite, readWrite };
}
