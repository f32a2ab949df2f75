/** What `JSON.parse` gives and `JSON.stringify` takes: the store's jsonb columns and notices. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export function object(value: unknown, field: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${field} is not an object`);
  }
  return value as Readonly<Record<string, unknown>>;
}

export function list(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${field} is not a list`);
  return value;
}

export function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`${field} is not text`);
  return value;
}

export function nullableText(value: unknown, field: string): string | null {
  return value === null ? null : text(value, field);
}

export function nullableDate(value: unknown, field: string): Date | null {
  if (value === null) return null;
  const at = new Date(text(value, field));
  if (Number.isNaN(at.getTime())) throw new TypeError(`${field} is not a time`);
  return at;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(`${field} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}
