import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/troubleshooting.md explains every error Sluice sends. Its messages all start with
 * `sluice:`, so every string literal in the packages' sources that starts so is a message a user
 * may see; the fixed text up to its first interpolation must appear in the page.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/troubleshooting.md'), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function packageSources(): string[] {
  const packages = join(ROOT, 'packages');
  return readdirSync(packages, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      try {
        return sourceFiles(join(packages, entry.name, 'src'));
      } catch {
        return [];
      }
    });
}

/**
 * The string literals of a TypeScript source, comments skipped: quoted strings whole, template
 * literals up to their first `${`. Interpolations are scanned as code, so literals inside them
 * count too. Regular expression literals are rare enough in these sources not to matter: a quote
 * inside one could at worst add a spurious literal, never hide a message.
 */
export function stringLiterals(source: string): string[] {
  const literals: string[] = [];
  let index = 0;
  // Nesting of template literals: each entry counts open braces inside a `${ … }`.
  const braces: number[] = [];

  const readQuoted = (quote: string): void => {
    let text = '';
    index += 1;
    while (index < source.length && source[index] !== quote) {
      if (source[index] === '\\') {
        text += source[index + 1] ?? '';
        index += 2;
      } else {
        text += source[index];
        index += 1;
      }
    }
    index += 1;
    literals.push(text);
  };

  /** Reads template text from `index` to its end or to a `${`; the first part is the literal. */
  const readTemplate = (first: boolean): void => {
    let text = '';
    while (index < source.length) {
      const character = source[index];
      if (character === '\\') {
        text += source[index + 1] ?? '';
        index += 2;
      } else if (character === '`') {
        index += 1;
        if (first) literals.push(text);
        return;
      } else if (character === '$' && source[index + 1] === '{') {
        index += 2;
        braces.push(0);
        if (first) literals.push(text);
        return;
      } else {
        text += character;
        index += 1;
      }
    }
  };

  while (index < source.length) {
    const character = source[index] ?? '';
    const next = source[index + 1];
    if (character === '/' && next === '/') {
      const end = source.indexOf('\n', index);
      index = end === -1 ? source.length : end;
    } else if (character === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2);
      index = end === -1 ? source.length : end + 2;
    } else if (character === "'" || character === '"') {
      readQuoted(character);
    } else if (character === '`') {
      index += 1;
      readTemplate(true);
    } else if (character === '{' && braces.length > 0) {
      braces[braces.length - 1] = (braces.at(-1) ?? 0) + 1;
      index += 1;
    } else if (character === '}' && braces.length > 0) {
      index += 1;
      if (braces.at(-1) === 0) {
        braces.pop();
        readTemplate(false);
      } else {
        braces[braces.length - 1] = (braces.at(-1) ?? 1) - 1;
      }
    } else {
      index += 1;
    }
  }
  return literals;
}

/** Every `sluice: …` message prefix in the packages' sources, with the files it occurs in. */
function messagePrefixes(): Map<string, string[]> {
  const prefixes = new Map<string, string[]>();
  for (const file of packageSources()) {
    for (const literal of stringLiterals(readFileSync(file, 'utf8'))) {
      if (!literal.startsWith('sluice:')) continue;
      const prefix = literal.trimEnd();
      prefixes.set(prefix, [...(prefixes.get(prefix) ?? []), relative(ROOT, file)]);
    }
  }
  return prefixes;
}

describe('docs/troubleshooting.md', () => {
  it('reads literals the way the sources are written', () => {
    // `#{` stands for an interpolation's opening, which a plain string may not spell out.
    const sample = [
      "const a = 'sluice: plain'; // 'sluice: in a comment'",
      '/* `sluice: in a block comment` */ const b = "sluice: \\"quoted\\"";',
      'const c = `sluice: before #{value} after`;',
      'const d = `outer #{inner(`sluice: nested #{x}`)} tail`;',
      'const e = `#{a}` + `sluice: after an object #{({ k: 1 }).k}`;',
    ]
      .join('\n')
      .replaceAll('#{', '\u0024{');
    expect(stringLiterals(sample).filter((text) => text.startsWith('sluice:'))).toEqual([
      'sluice: plain',
      'sluice: "quoted"',
      'sluice: before ',
      'sluice: nested ',
      'sluice: after an object ',
    ]);
  });

  it('finds the messages clients see', () => {
    const prefixes = messagePrefixes();
    // A scan that found nothing would make the next test pass for nothing.
    expect(prefixes.has('sluice: the upstream database is unavailable')).toBe(true);
    expect(prefixes.has('sluice: blocked by')).toBe(true);
    expect(prefixes.size).toBeGreaterThan(20);
  });

  it('explains every message Sluice can send', () => {
    const text = DOC.replace(/\s+/g, ' ');
    const missing = [...messagePrefixes()]
      .filter(([prefix]) => !text.includes(prefix.replace(/\s+/g, ' ')))
      .map(([prefix, files]) => `${prefix}  (${[...new Set(files)].join(', ')})`);
    expect(missing, 'add these messages to docs/troubleshooting.md').toEqual([]);
  });
});
