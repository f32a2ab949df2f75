import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { type ConfigProblem, formatYamlPath, type YamlPath } from './problems.js';

/** A parsed config file that can say where any YAML path is, for problems that point at it. */
export interface YamlSource {
  readonly file: string;
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/** `key` points a problem at the key itself (an unknown key), `value` at what the key holds. */
export type ProblemTarget = 'key' | 'value';

export function readYaml(text: string, file: string): { source: YamlSource; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  // Pretty errors quote the offending source line, which may hold a literal secret.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const source: YamlSource = { file, document, lineCounter };
  const problems = document.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { file, line, column: col, path: '', message: `YAML syntax: ${error.message}` };
  });
  return { source, problems };
}

export function problemAt(
  source: YamlSource,
  path: YamlPath,
  message: string,
  target: ProblemTarget = 'value',
): ConfigProblem {
  const { line, col } = source.lineCounter.linePos(offsetOf(source, path, target));
  return { file: source.file, line, column: col, path: formatYamlPath(path), message };
}

/** The keys of the mapping at `path` in the order they are written. */
export function keysInOrder(source: YamlSource, path: YamlPath): string[] {
  let node: unknown = source.document.contents;
  for (const segment of path) {
    node = childOf(source, node, segment)?.value;
  }
  node = resolved(source, node);
  if (!isMap(node)) return [];
  return node.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : []));
}

/**
 * Walks as far along `path` as the document goes: a missing key is reported at its parent
 * mapping, a key written with no value (`admin:`) at the key.
 */
function offsetOf(source: YamlSource, path: YamlPath, target: ProblemTarget): number {
  let node: unknown = source.document.contents;
  let offset = startOf(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    const child = childOf(source, node, segment);
    if (!child) return offset;
    const keyStart = startOf(child.key);
    if (index === path.length - 1 && target === 'key' && keyStart !== undefined) return keyStart;
    offset = (isWrittenValue(child.value) ? startOf(child.value) : undefined) ?? keyStart ?? offset;
    node = child.value;
  }
  return offset;
}

interface Child {
  readonly key: unknown;
  readonly value: unknown;
}

function childOf(source: YamlSource, parent: unknown, segment: string | number): Child | undefined {
  const node = resolved(source, parent);
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
    return pair ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: undefined, value: item };
  }
  return undefined;
}

function resolved(source: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(source.document) : node;
}

function isWrittenValue(node: unknown): boolean {
  return !(isScalar(node) && node.value === null && node.source === '');
}

function startOf(node: unknown): number | undefined {
  if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) return node.range?.[0];
  return undefined;
}
