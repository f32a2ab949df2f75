/** Where a value has data and where NULL, down into arrays: what masking must not change. */
export type Shape = null | 'value' | Shape[];

export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(shapeOf);
  return 'value';
}
