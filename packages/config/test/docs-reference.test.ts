import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rootSchema } from '../src/schema/root.js';

/**
 * docs/configuration.md is the configuration reference. These tests walk the schema the loader
 * validates with and hold the page to it, so a key added, renamed or removed in one place and
 * not the other fails here instead of misleading a reader.
 */

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url)), 'utf8');

interface KeyFacts {
  /** The default written as the reference writes it: `./sluice.db`, `20`, `[]`; undefined when none. */
  defaultText: string | undefined;
  /** The values an enum (or a list of enum values) accepts. */
  allowed: readonly string[];
}

/** `connections.<name>.tls.cert`, `identity.oidc[].issuer`: one entry per key the schema accepts. */
function schemaKeys(): Map<string, KeyFacts> {
  const keys = new Map<string, KeyFacts>();
  walk(rootSchema('/'), '', keys, undefined);
  return keys;
}

/** Peels what wraps a schema without changing which keys it accepts; records the first default. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; defaultValue: unknown } {
  let current = schema;
  let defaultValue: unknown;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
      defaultValue ??= current.def.defaultValue;
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodOptional) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return { inner: current, defaultValue };
    }
  }
}

function walk(
  schema: z.ZodType,
  path: string,
  keys: Map<string, KeyFacts>,
  facts: KeyFacts | undefined,
): void {
  const { inner, defaultValue } = unwrap(schema);
  if (facts !== undefined) {
    facts.defaultText ??= describeDefault(defaultValue);
    facts.allowed = enumValues(inner);
  }
  if (inner instanceof z.ZodObject) {
    for (const [key, child] of Object.entries(inner.shape)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      const childFacts: KeyFacts = { defaultText: undefined, allowed: [] };
      keys.set(childPath, childFacts);
      walk(child as z.ZodType, childPath, keys, childFacts);
    }
  } else if (inner instanceof z.ZodRecord) {
    const entryPath = `${path}.<name>`;
    const entryFacts: KeyFacts = { defaultText: undefined, allowed: [] };
    keys.set(entryPath, entryFacts);
    walk(inner.valueType as z.ZodType, entryPath, keys, entryFacts);
  } else if (inner instanceof z.ZodArray) {
    walk(inner.element as z.ZodType, `${path}[]`, keys, undefined);
  }
}

function enumValues(schema: z.ZodType): readonly string[] {
  if (schema instanceof z.ZodEnum) return schema.options.map(String);
  if (schema instanceof z.ZodArray) return enumValues(unwrap(schema.element as z.ZodType).inner);
  return [];
}

function describeDefault(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return '{}';
  return undefined;
}

/** Markdown with its fenced code blocks blanked out, so examples are not read as reference text. */
const PROSE = DOC.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');

/** The reference's key sections: `### \`path\`` headings and the text under each. */
function documentedKeys(): Map<string, string> {
  const sections = new Map<string, string>();
  const headings = [...PROSE.matchAll(/^### `([^`]+)`\s*$/gm)];
  headings.forEach((heading, index) => {
    const start = (heading.index ?? 0) + heading[0].length;
    const next = headings[index + 1]?.index ?? PROSE.length;
    const body = PROSE.slice(start, next).split(/^## /m)[0] ?? '';
    sections.set(heading[1] ?? '', body);
  });
  return sections;
}

const TOP_LEVEL = /^(journal|admin|identity|connections|policies|limits)([.[]|$)/;

/** `connections.orders.listen` → `connections.<name>.listen`; `rules[2]` → `rules[]`. */
function normalizedPath(mention: string): string {
  return mention
    .replace(/^(connections|policies)\.(?!<name>)[^.[]+/, '$1.<name>')
    .replace(/\[\d*\]/g, '[]')
    .replace(/\[\]$/, '');
}

const keys = schemaKeys();
const sections = documentedKeys();

describe('docs/configuration.md', () => {
  it('is read from a schema walk that finds every section of the file', () => {
    // A walker that stopped early would make every other assertion here vacuous.
    for (const key of [
      'journal.retention',
      'identity.oidc[].groups_claim',
      'connections.<name>.tls.key',
      'policies.<name>.rules[].match.tables',
      'policies.<name>.masking.exempt.groups',
      'policies.<name>.approval.approvers.groups',
    ]) {
      expect(keys.has(key), key).toBe(true);
    }
    expect(keys.get('policies.<name>.rules[].match.kind')?.allowed).toContain('merge');
    expect(keys.get('journal.record_rows')?.defaultText).toBe('20');
  });

  it('has a section for every key the configuration accepts', () => {
    const missing = [...keys.keys()].filter((key) => !sections.has(key));
    expect(missing, 'add a "### `key`" section for each').toEqual([]);
  });

  it('has no section for a key the configuration refuses', () => {
    const unknown = [...sections.keys()].filter((key) => !keys.has(key));
    expect(unknown, 'these keys do not exist in packages/config').toEqual([]);
  });

  it('mentions no key path that the configuration refuses', () => {
    const mentions = [...PROSE.matchAll(/`([^`\s]+)`/g)].map((match) => match[1] ?? '');
    const paths = mentions.filter((mention) => TOP_LEVEL.test(mention) && /^[\w.<>[\]]+$/.test(mention));
    expect(paths.length).toBeGreaterThan(keys.size);
    const unknown = [...new Set(paths.filter((mention) => !keys.has(normalizedPath(mention))))];
    expect(unknown, 'these key paths do not exist in packages/config').toEqual([]);
  });

  it('gives the default of every key that has one, and no default for keys without one', () => {
    const wrong: string[] = [];
    for (const [key, facts] of keys) {
      const body = sections.get(key);
      if (body === undefined) continue;
      const stated = /Default: `([^`]*)`/.exec(body)?.[1];
      if (stated !== facts.defaultText) {
        wrong.push(`${key}: the schema's default is ${facts.defaultText ?? 'none'}, the page says ${stated}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lists every value a key of fixed choices allows', () => {
    const missing: string[] = [];
    for (const [key, facts] of keys) {
      const body = sections.get(key) ?? '';
      for (const value of facts.allowed) {
        if (!body.includes(`\`${value}\``)) missing.push(`${key}: ${value}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
