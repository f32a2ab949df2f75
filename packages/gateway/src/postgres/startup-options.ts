/**
 * The `options` startup parameter read the way the server reads it, so that what Sluice judges is
 * what the server applies. The server splits it on whitespace a backslash does not escape, drops
 * each escaping backslash (pg_split_opts), then reads the words as command-line switches with
 * getopt: `-c name=value`, `-cname=value`, `--name=value`, and switches that may be clustered
 * (`-ecrole=x` is `-e` then `-c role=x`). In a setting name `-` stands for `_`.
 * https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS
 */

export interface OptionSetting {
  readonly name: string;
  readonly value: string;
}

export type ParsedOptions =
  | { readonly ok: true; readonly settings: readonly OptionSetting[] }
  | { readonly ok: false; readonly switch: string };

/** The words of `options` after the server's splitting and unescaping. */
export function splitOptions(options: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let escaped = false;
  for (const char of options) {
    if (!escaped && /\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    if (!escaped && char === '\\') {
      escaped = true;
      word ??= '';
      continue;
    }
    escaped = false;
    word = (word ?? '') + char;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The settings `options` asks for, or the first switch that is not a setting. Only settings are
 * accepted: the other switches of the server's command line (`-O` allow_system_table_mods,
 * `-P`, `-d`, `-W` …) set server settings by letters Sluice would otherwise have to mirror.
 */
export function parseOptions(options: string): ParsedOptions {
  const words = splitOptions(options);
  const settings: OptionSetting[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    let text: string;
    if (word.startsWith('--')) text = word.slice(2);
    else if (word.startsWith('-c')) {
      text = word.slice(2);
      if (text === '') {
        index++;
        text = words[index] ?? '';
      }
    } else return { ok: false, switch: word };
    const equals = text.indexOf('=');
    if (equals <= 0) return { ok: false, switch: word };
    settings.push({ name: text.slice(0, equals).replace(/-/g, '_'), value: text.slice(equals + 1) });
  }
  return { ok: true, settings };
}
