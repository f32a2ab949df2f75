import fc from 'fast-check';

/**
 * Integers that break length fields: zero, one, the sign bit, all ones, and the largest values of
 * 3- and 4-byte fields. Off-by-one values around the real length are added per input.
 */
const HOSTILE_INTEGERS = [
  0, 1, 2, 3, 4, 5, 0x7f, 0x80, 0xff, 0xfffffe, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xffffffff,
];

/** Byte runs that are not valid UTF-8: a lone continuation, an overlong NUL, a surrogate, a cut sequence. */
const INVALID_UTF8 = [
  [0xff],
  [0x80],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
];

/** One edit of a byte string; positions are reduced modulo the length when applied. */
export type ByteMutation =
  | { readonly kind: 'set-byte'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | {
      readonly kind: 'integer';
      readonly at: number;
      readonly width: 1 | 2 | 3 | 4;
      readonly littleEndian: boolean;
      readonly value: number;
    }
  | {
      readonly kind: 'length-off-by-one';
      readonly at: number;
      readonly width: 2 | 3 | 4;
      readonly littleEndian: boolean;
      readonly delta: number;
    }
  | { readonly kind: 'invalid-utf8'; readonly at: number; readonly variant: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly count: number };

const position = fc.nat({ max: 1 << 20 });
const width = fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4);
const lengthWidth = fc.constantFrom<2 | 3 | 4>(2, 3, 4);

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({
    kind: fc.constant('set-byte' as const),
    at: position,
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: position, count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('integer' as const),
    at: position,
    width,
    littleEndian: fc.boolean(),
    value: fc.oneof(fc.constantFrom(...HOSTILE_INTEGERS), fc.nat({ max: 0xffffffff })),
  }),
  fc.record({
    kind: fc.constant('length-off-by-one' as const),
    at: position,
    width: lengthWidth,
    littleEndian: fc.boolean(),
    delta: fc.constantFrom(-2, -1, 1, 2),
  }),
  fc.record({
    kind: fc.constant('invalid-utf8' as const),
    at: position,
    variant: fc.nat({ max: INVALID_UTF8.length - 1 }),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: position,
    count: fc.integer({ min: 1, max: 64 }),
  }),
);

/** Applies one mutation; the input is not modified. */
export function applyMutation(input: Buffer, mutation: ByteMutation): Buffer {
  const length = input.length;
  const at = length === 0 ? 0 : mutation.at % (length + 1);
  switch (mutation.kind) {
    case 'set-byte': {
      if (length === 0) return Buffer.from([mutation.value]);
      const copy = Buffer.from(input);
      copy[at % length] = mutation.value;
      return copy;
    }
    case 'truncate':
      return Buffer.from(input.subarray(0, at));
    case 'insert':
      return Buffer.concat([input.subarray(0, at), Buffer.from(mutation.bytes), input.subarray(at)]);
    case 'delete':
      return Buffer.concat([input.subarray(0, at), input.subarray(at + mutation.count)]);
    case 'integer':
      return writeInteger(input, at, mutation.width, mutation.littleEndian, mutation.value);
    case 'length-off-by-one': {
      if (length < mutation.width) return Buffer.from(input);
      const start = Math.min(at, length - mutation.width);
      const current = mutation.littleEndian
        ? input.readUIntLE(start, mutation.width)
        : input.readUIntBE(start, mutation.width);
      return writeInteger(input, start, mutation.width, mutation.littleEndian, current + mutation.delta);
    }
    case 'invalid-utf8': {
      const bytes = Buffer.from(INVALID_UTF8[mutation.variant] ?? [0xff]);
      return Buffer.concat([input.subarray(0, at), bytes, input.subarray(at)]);
    }
    case 'duplicate': {
      const piece = input.subarray(at, at + mutation.count);
      return Buffer.concat([input.subarray(0, at), piece, piece, input.subarray(at + piece.length)]);
    }
  }
}

/** Writes `value` (wrapped to the field's width) over the bytes at `at`, growing the buffer if needed. */
function writeInteger(
  input: Buffer,
  at: number,
  fieldWidth: number,
  littleEndian: boolean,
  value: number,
): Buffer {
  const copy = Buffer.alloc(Math.max(input.length, at + fieldWidth));
  input.copy(copy);
  const wrapped = ((value % 2 ** (fieldWidth * 8)) + 2 ** (fieldWidth * 8)) % 2 ** (fieldWidth * 8);
  if (littleEndian) copy.writeUIntLE(wrapped, at, fieldWidth);
  else copy.writeUIntBE(wrapped, at, fieldWidth);
  return copy;
}

/** A valid input with one to four mutations applied in turn, or occasionally left intact. */
export function mutatedBytes(valid: Buffer): fc.Arbitrary<Buffer> {
  return fc
    .array(byteMutation, { minLength: 0, maxLength: 4 })
    .map((mutations) => mutations.reduce(applyMutation, valid));
}

/** One of `valids`, mutated; what most fuzz properties draw from. */
export function mutatedFrom(valids: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc.constantFrom(...valids).chain((valid) => mutatedBytes(valid));
}

/** Cuts `bytes` into chunks at the given (sorted, deduplicated) offsets, as a socket may deliver them. */
export function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const offsets = [...new Set(cuts.map((cut) => (bytes.length === 0 ? 0 : cut % bytes.length)))].sort(
    (a, b) => a - b,
  );
  const chunks: Buffer[] = [];
  let start = 0;
  for (const offset of offsets) {
    if (offset <= start) continue;
    chunks.push(Buffer.from(bytes.subarray(start, offset)));
    start = offset;
  }
  chunks.push(Buffer.from(bytes.subarray(start)));
  return chunks;
}
