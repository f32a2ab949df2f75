import { describe, expect, it } from 'vitest';
import { bound, textTable } from '../src/bounded-result.js';
import { refusalOf } from '../src/refusal.js';

const result = (rows: unknown[][]) => ({
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'note', type: 'text' },
  ],
  rows,
  affected: null,
  command: 'SELECT',
});

describe('bound', () => {
  it('keeps a result within the caps whole', () => {
    const bounded = bound(result([[1, 'a']]), { maxRows: 5, maxBytes: 1000 }, 0);
    expect(bounded).toMatchObject({ rowCount: 1, truncated: false, note: null });
  });

  it('cuts at the row cap and names the next offset', () => {
    const rows = Array.from({ length: 10 }, (_, index) => [index, 'x']);
    const bounded = bound(result(rows), { maxRows: 3, maxBytes: 1000 }, 20);
    expect(bounded.rows).toEqual([
      [0, 'x'],
      [1, 'x'],
      [2, 'x'],
    ]);
    expect(bounded.note).toContain('row cap 3');
    expect(bounded.note).toContain('"offset": 23');
  });

  it('cuts at the byte cap but always returns one row', () => {
    const big = 'y'.repeat(500);
    const bounded = bound(
      result([
        [1, big],
        [2, big],
      ]),
      { maxRows: 10, maxBytes: 100 },
      0,
    );
    expect(bounded.rowCount).toBe(1);
    expect(bounded.note).toContain('byte cap 100');
  });

  it('turns driver values into JSON values', () => {
    const bounded = bound(
      result([
        [10n, new Date('2026-01-02T03:04:05Z')],
        [Buffer.from([1, 255]), { a: 1 }],
        [null, Number.NaN],
      ]),
      { maxRows: 10, maxBytes: 10_000 },
      0,
    );
    expect(bounded.rows).toEqual([
      ['10', '2026-01-02T03:04:05.000Z'],
      ['\\x01ff', '{"a":1}'],
      [null, 'NaN'],
    ]);
  });

  it('prints a compact table with NULLs and long cells cut', () => {
    const text = textTable(
      bound(
        result([
          [1, null],
          [2, 'z'.repeat(60)],
        ]),
        { maxRows: 10, maxBytes: 10_000 },
        0,
      ),
    );
    expect(text).toBe(`id | note\n1 | NULL\n2 | ${'z'.repeat(39)}…\n(2 rows)`);
  });
});

describe('refusalOf', () => {
  it('reads a rule refusal', () => {
    expect(refusalOf('sluice: blocked by no-payroll: statement touches payroll.bonus')).toMatchObject({
      rule: 'no-payroll',
      reason: 'statement touches payroll.bonus',
    });
  });

  it('reads an approval ticket', () => {
    const refusal = refusalOf(
      'sluice: approval required: request 0193-abc; run the same statement again once it is approved',
    );
    expect(refusal?.hint).toContain('sluice approvals approve 0193-abc');
  });

  it('leaves other errors alone', () => {
    expect(refusalOf('relation "nope" does not exist')).toBeUndefined();
  });
});
