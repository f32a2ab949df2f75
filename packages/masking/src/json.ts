import type { DetectorName, MaskingStrategy } from '@sluice/config';
import { maskText } from './mask-text.js';
import { globToRegExp } from './rules.js';
import { applyStrategy } from './strategies.js';
import type { JsonKeyRule } from './types.js';

export interface JsonMaskOptions {
  readonly keys: readonly JsonKeyRule[];
  /** Key names (case-insensitive) that must occur somewhere, or the value cannot be masked inside. */
  readonly requiredKeys: readonly string[];
  readonly detectors: readonly DetectorName[];
  readonly hashKey: Buffer;
}

/** Deeper nesting than this is not walked: the caller masks the whole value instead. */
const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface CompiledKeyRule {
  readonly key: RegExp;
  readonly strategy: MaskingStrategy;
}

/** The state of one walk over a JSON text. */
interface Walk {
  readonly text: string;
  position: number;
  readonly keyRules: readonly CompiledKeyRule[];
  readonly options: JsonMaskOptions;
  readonly replacements: Replacement[];
  readonly foundKeys: Set<string>;
}

class NotJson extends Error {}

function fail(): never {
  throw new NotJson();
}

function encode(value: string | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}

function skipWhitespace(walk: Walk): void {
  const { text } = walk;
  for (;;) {
    const code = text.charCodeAt(walk.position);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return;
    walk.position += 1;
  }
}

/** Consumes a string token and returns its decoded value. */
function readString(walk: Walk): string {
  const { text } = walk;
  const start = walk.position;
  let index = start + 1;
  let escaped = false;
  for (;;) {
    const code = text.charCodeAt(index);
    if (Number.isNaN(code) || code < 0x20) fail();
    if (code === 34) break;
    if (code === 92) {
      escaped = true;
      index += 1;
    }
    index += 1;
  }
  walk.position = index + 1;
  if (!escaped) return text.slice(start + 1, index);
  try {
    return JSON.parse(text.slice(start, index + 1)) as string;
  } catch {
    return fail();
  }
}

function replace(walk: Walk, start: number, text: string): void {
  walk.replacements.push({ start, end: walk.position, text });
}

function scanString(walk: Walk, start: number, value: string): void {
  if (walk.options.detectors.length === 0) return;
  const masked = maskText(value, walk.options.detectors);
  if (masked.count > 0) replace(walk, start, encode(masked.text));
}

function ruleForKey(walk: Walk, key: string): CompiledKeyRule | null {
  walk.foundKeys.add(key.toLowerCase());
  return walk.keyRules.find((rule) => rule.key.test(key)) ?? null;
}

/** Walks one value; under a masked key (`rule`) the whole value is replaced and not scanned. */
function walkValue(walk: Walk, depth: number, rule: CompiledKeyRule | null): void {
  skipWhitespace(walk);
  const { text } = walk;
  const start = walk.position;
  const character = text.charAt(start);
  if (character === '{' || character === '[') {
    if (depth >= MAX_DEPTH) fail();
    const before = walk.replacements.length;
    if (character === '{') walkObject(walk, depth + 1);
    else walkArray(walk, depth + 1);
    if (rule !== null) {
      // The container is replaced whole: what was found inside it no longer applies.
      walk.replacements.length = before;
      replace(
        walk,
        start,
        encode(applyStrategy(rule.strategy, text.slice(start, walk.position), walk.options.hashKey)),
      );
    }
    return;
  }
  if (character === '"') {
    const value = readString(walk);
    if (rule !== null)
      replace(walk, start, encode(applyStrategy(rule.strategy, value, walk.options.hashKey)));
    else scanString(walk, start, value);
    return;
  }
  const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, start));
  if (literal !== undefined) {
    walk.position += literal.length;
  } else {
    NUMBER.lastIndex = start;
    if (!NUMBER.test(text)) fail();
    walk.position = NUMBER.lastIndex;
  }
  // NULL stays NULL; other scalars under a masked key are masked as their text.
  if (rule !== null && literal !== 'null') {
    replace(
      walk,
      start,
      encode(applyStrategy(rule.strategy, text.slice(start, walk.position), walk.options.hashKey)),
    );
  }
}

function walkObject(walk: Walk, depth: number): void {
  walk.position += 1;
  skipWhitespace(walk);
  if (walk.text.charAt(walk.position) === '}') {
    walk.position += 1;
    return;
  }
  for (;;) {
    skipWhitespace(walk);
    if (walk.text.charAt(walk.position) !== '"') fail();
    const keyStart = walk.position;
    const key = readString(walk);
    const rule = ruleForKey(walk, key);
    scanString(walk, keyStart, key);
    skipWhitespace(walk);
    if (walk.text.charAt(walk.position) !== ':') fail();
    walk.position += 1;
    walkValue(walk, depth, rule);
    skipWhitespace(walk);
    const next = walk.text.charAt(walk.position);
    walk.position += 1;
    if (next === '}') return;
    if (next !== ',') fail();
  }
}

function walkArray(walk: Walk, depth: number): void {
  walk.position += 1;
  skipWhitespace(walk);
  if (walk.text.charAt(walk.position) === ']') {
    walk.position += 1;
    return;
  }
  for (;;) {
    walkValue(walk, depth, null);
    skipWhitespace(walk);
    const next = walk.text.charAt(walk.position);
    walk.position += 1;
    if (next === ']') return;
    if (next !== ',') fail();
  }
}

/**
 * Masks inside a JSON text: values under keys matching `keys` get the key's strategy (objects and
 * arrays under such a key are replaced whole), and detectors scan every other string, keys
 * included. Everything else is kept byte for byte, so numbers keep their precision and the
 * formatting is unchanged. Returns null when the text is not JSON, nests too deep, or lacks a
 * required key: the caller then masks the whole value.
 */
export function maskJson(text: string, options: JsonMaskOptions): { text: string; count: number } | null {
  const walk: Walk = {
    text,
    position: 0,
    keyRules: options.keys.map((rule) => ({ key: globToRegExp(rule.key), strategy: rule.strategy })),
    options,
    replacements: [],
    foundKeys: new Set(),
  };
  try {
    walkValue(walk, 0, null);
    skipWhitespace(walk);
    if (walk.position !== text.length) return null;
  } catch (error) {
    if (error instanceof NotJson) return null;
    throw error;
  }
  if (options.requiredKeys.some((key) => !walk.foundKeys.has(key.toLowerCase()))) return null;
  if (walk.replacements.length === 0) return { text, count: 0 };
  const sorted = walk.replacements.sort((a, b) => a.start - b.start);
  let masked = '';
  let copied = 0;
  for (const replacement of sorted) {
    masked += text.slice(copied, replacement.start) + replacement.text;
    copied = replacement.end;
  }
  return { text: masked + text.slice(copied), count: sorted.length };
}
