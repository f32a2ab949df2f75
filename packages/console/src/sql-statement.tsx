import type { ComponentChildren } from 'preact';

/** A statement with its keywords, strings, numbers and comments coloured; the text stays selectable. */
const TOKEN =
  /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*'|"(?:[^"]|"")*")|(\b\d+(?:\.\d+)?\b)|(\b[A-Za-z_][A-Za-z0-9_]*\b)|(\$\d+|\?)/g;

const KEYWORDS = new Set(
  (
    'select from where and or not insert into values update set delete drop truncate alter create table ' +
    'join left right inner outer full on group by order having limit offset returning as distinct union all ' +
    'with case when then else end is null in like between exists begin commit rollback grant revoke index ' +
    'primary key references default cascade if replace view explain analyze asc desc'
  ).split(' '),
);

export function SqlStatement({ text }: { readonly text: string }) {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    const [token, comment, string, number, word, parameter] = match;
    const kind = comment
      ? 'comment'
      : string
        ? 'string'
        : number
          ? 'number'
          : parameter
            ? 'parameter'
            : word && KEYWORDS.has(word.toLowerCase())
              ? 'keyword'
              : undefined;
    parts.push(kind ? <span class={`sql-${kind}`}>{token}</span> : token);
    last = index + token.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <pre class="sql">
      <code>{parts}</code>
    </pre>
  );
}
