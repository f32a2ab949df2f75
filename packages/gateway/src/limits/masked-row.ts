/**
 * `limits.max_masked_row_size`: masking decodes a row and builds its masked copy, so a row is
 * held several times over while it is rewritten. A larger one ends the session with this error
 * rather than letting one result take the gateway's memory.
 */
export class MaskedRowTooLarge extends Error {
  constructor(bytes: number, maxBytes: number) {
    super(
      `masked row too large: a result row of ${bytes} bytes must be masked; limits.max_masked_row_size is ${maxBytes}`,
    );
  }
}

export function checkMaskedRow(bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) throw new MaskedRowTooLarge(bytes, maxBytes);
}
