import { describe, expect, it } from 'vitest';
import { copyFormatOf, formatCopyRow, parseCopyRow } from '../src/postgres/copy-format.js';

const TEXT = copyFormatOf('COPY t TO STDOUT');
const CSV = copyFormatOf('COPY t TO STDOUT WITH (FORMAT csv, HEADER)');

describe('COPY rows in text and CSV format', () => {
  it('reads the options that change how rows read', () => {
    expect(TEXT).toEqual({ csv: false, delimiter: '\t', header: false });
    expect(CSV).toEqual({ csv: true, delimiter: ',', header: true });
    expect(copyFormatOf("COPY t TO STDOUT WITH (DELIMITER '|', HEADER false)")).toEqual({
      csv: false,
      delimiter: '|',
      header: false,
    });
  });

  it('decodes text-format escapes and NULL as the server writes them', () => {
    // Bytes as PostgreSQL writes them, not made by formatCopyRow.
    expect(parseCopyRow('1\ta\\tb\\\\c\\nd\t\\N\t\\101\\x42\n', TEXT)).toEqual([
      '1',
      'a\tb\\c\nd',
      null,
      'AB',
    ]);
    expect(parseCopyRow('x|y\\|z\n', { ...TEXT, delimiter: '|' })).toEqual(['x', 'y|z']);
  });

  it('decodes CSV quoting, and tells an empty string from NULL', () => {
    expect(parseCopyRow('1,"a,b","say ""hi""",,""\n', CSV)).toEqual(['1', 'a,b', 'say "hi"', null, '']);
    expect(parseCopyRow('1,"line\nbreak"\n', CSV)).toEqual(['1', 'line\nbreak']);
    expect(parseCopyRow('1,"unterminated\n', CSV)).toBeNull();
  });

  it('writes back what it reads, for every format', () => {
    const rows: (string | null)[][] = [
      ['1', 'plain', null, ''],
      ['2', 'tab\there', 'back\\slash', 'new\nline'],
      ['3', 'comma, "quoted"', '\\.', 'carriage\rreturn'],
    ];
    for (const format of [TEXT, CSV, { ...TEXT, delimiter: '|' }]) {
      for (const row of rows) {
        expect(parseCopyRow(formatCopyRow(row, format), format)).toEqual(row);
      }
    }
  });
});
