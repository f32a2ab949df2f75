import { JournalError } from './errors.js';

/**
 * Readers for fields of stored JSON. A record whose stored form does not have the shape the
 * journal wrote is reported as corrupt rather than passed on with the wrong type.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

export function parseObject(text: string, where: string): JsonObject {
  const value = parseJson(text, where);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JournalError('corrupt', `${where}: stored JSON is not an object`);
  }
  return value as JsonObject;
}

function wrongShape(where: string, key: string, expected: string): JournalError {
  return new JournalError('corrupt', `${where}: field "${key}" is not ${expected}`);
}

export function textField(object: JsonObject, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string') throw wrongShape(where, key, 'a string');
  return value;
}

export function nullableTextField(object: JsonObject, key: string, where: string): string | null {
  const value = object[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw wrongShape(where, key, 'a string or null');
  return value;
}

export function nullableNumberField(object: JsonObject, key: string, where: string): number | null {
  const value = object[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number') throw wrongShape(where, key, 'a number or null');
  return value;
}

export function textListField(object: JsonObject, key: string, where: string): string[] {
  const value = object[key];
  if (!isTextList(value)) throw wrongShape(where, key, 'a list of strings');
  return value;
}

export function nullableParameterListField(
  object: JsonObject,
  key: string,
  where: string,
): (string | null)[] | null {
  const value = object[key];
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value) || !value.every((item) => item === null || typeof item === 'string')) {
    throw wrongShape(where, key, 'a list of strings and nulls');
  }
  return value;
}

export function oneOfField<T extends string>(
  object: JsonObject,
  key: string,
  allowed: readonly T[],
  where: string,
): T {
  const value = object[key];
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw wrongShape(where, key, `one of ${allowed.join(', ')}`);
  return match;
}

export function parseTextList(text: string, where: string): string[] {
  const value = parseJson(text, where);
  if (!isTextList(value))
    throw new JournalError('corrupt', `${where}: stored value is not a list of strings`);
  return value;
}

export function parseTextMap(text: string, where: string): Record<string, string> {
  const object = parseObject(text, where);
  const map: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value !== 'string') throw wrongShape(where, key, 'a string');
    map[key] = value;
  }
  return map;
}

export function parseDate(text: string, where: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new JournalError('corrupt', `${where}: "${text}" is not a date`);
  return date;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JournalError('corrupt', `${where}: stored JSON cannot be parsed`, { cause: error });
  }
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
