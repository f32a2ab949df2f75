import { describe, expect, it } from 'vitest';
import { type StatementRecord, writeCsv, writeJsonl } from '../src/index.js';
import { openJournal, sampleStatement } from './helpers.js';

const HEADER = [
  'id',
  'time',
  'session',
  'identity',
  'groups',
  'connection',
  'protocol',
  'client_address',
  'statement',
  'parameters',
  'kind',
  'tables',
  'decision',
  'rule',
  'reason',
  'approver',
  'masked_columns',
  'rows',
  'duration_ms',
  'error',
  'completed',
  'hash',
  'gateway',
];

const TRICKY_TEXT = "SELECT \"a,b\", 'it''s'\r\nFROM t -- \"quoted\", comma\nWHERE x = '\"'";

/** A minimal RFC 4180 reader, written for the test and independent of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

function collect(write: (records: Iterable<StatementRecord>, sink: (chunk: string) => void) => number) {
  const journal = openJournal();
  const first = journal.recordStatement(
    sampleStatement({ text: TRICKY_TEXT, parameters: ['a', null, 'b'], tables: ['public.t', 'public.u'] }),
  );
  journal.completeStatement(first, { rows: 2, durationMs: 0.75, error: 'ERROR: "x", line 1' });
  journal.recordStatement(
    sampleStatement({ parameters: null, kind: null, maskedColumns: [], decision: 'blocked' }),
  );
  const chunks: string[] = [];
  const count = write(journal.statements(), (chunk) => chunks.push(chunk));
  return { count, text: chunks.join(''), records: [...journal.statements()] };
}

describe('JSON lines export', () => {
  it('writes one JSON object per statement that reads back to the same record', () => {
    const { count, text, records } = collect(writeJsonl);
    expect(count).toBe(2);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    const parsed = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(parsed).toEqual(records);
    // `gateway` is a CSV column always, a JSON field only on a shared store's replica.
    expect(Object.keys(parsed[0])).toEqual(HEADER.filter((field) => field !== 'gateway'));
    expect(parsed[0]).toMatchObject({
      statement: TRICKY_TEXT,
      parameters: ['a', null, 'b'],
      completed: true,
    });
    expect(parsed[1]).toMatchObject({ completed: false, rows: null, decision: 'blocked' });
  });

  it('writes nothing for an empty journal', () => {
    const chunks: string[] = [];
    expect(writeJsonl(openJournal().statements(), (chunk) => chunks.push(chunk))).toBe(0);
    expect(chunks).toEqual([]);
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks so that the text reads back exactly', () => {
    const { count, text, records } = collect(writeCsv);
    expect(count).toBe(2);
    const [header, first, second, ...rest] = parseCsv(text);
    expect(rest).toEqual([]);
    expect(header).toEqual(HEADER);
    const field = (row: string[] | undefined, name: string) => row?.[HEADER.indexOf(name)];
    expect(first).toHaveLength(HEADER.length);
    expect(field(first, 'statement')).toBe(TRICKY_TEXT);
    expect(field(first, 'error')).toBe('ERROR: "x", line 1');
    expect(field(first, 'id')).toBe(String(records[0]?.id));
    expect(field(first, 'hash')).toBe(records[0]?.hash);
    expect(field(first, 'tables')).toBe('public.t;public.u');
    expect(field(first, 'parameters')).toBe('a;;b');
    expect(field(first, 'rows')).toBe('2');
    expect(field(first, 'duration_ms')).toBe('0.75');
    expect(field(first, 'completed')).toBe('true');
    expect(field(second, 'completed')).toBe('false');
    expect(field(second, 'parameters')).toBe('');
    expect(field(second, 'rows')).toBe('');
    expect(field(second, 'decision')).toBe('blocked');
  });

  it('writes the header alone for an empty journal', () => {
    const chunks: string[] = [];
    expect(writeCsv(openJournal().statements(), (chunk) => chunks.push(chunk))).toBe(0);
    expect(parseCsv(chunks.join(''))).toEqual([HEADER]);
  });
});
