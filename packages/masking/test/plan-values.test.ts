import { describe, expect, it } from 'vitest';
import { hashToken, maskCell, maskPlanFor } from '../src/index.js';
import { maskingConfig, output, planInput, result } from './support/plans.js';

const KEY = Buffer.from('install-key-1');

/** Masks one row the way the gateway does, cell by cell. */
function maskRow(plan: ReturnType<typeof maskPlanFor>, row: readonly (string | null)[]): (string | null)[] {
  return row.map((value, index) => maskCell(plan, index, value, KEY));
}

describe('masking rows with a plan', () => {
  it('applies each column its strategy and keeps NULLs', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [
          result('id', 'int4', 'users.id'),
          result('email', 'text', 'users.email'),
          result('ssn', 'text', 'users.ssn'),
          result('phone', 'text', 'users.phone'),
        ],
      }),
    );
    expect(maskRow(plan, ['7', 'alice@example.com', '123-45-6789', '+14155552671'])).toEqual([
      '7',
      'a***@example.com',
      '****',
      hashToken('+14155552671', KEY),
    ]);
    expect(maskRow(plan, ['8', null, null, null])).toEqual(['8', null, null, null]);
  });

  it('masks derived values with the source strategy, falling back to **** when the email strategy does not fit', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('upper'), result('label')],
        lineage: [output('upper', ['users.email']), output('label', ['users.name', 'users.email'])],
        tablesRead: ['users'],
      }),
    );
    expect(maskRow(plan, ['ALICE@EXAMPLE.COM', 'Alice <alice@example.com>'])).toEqual([
      'A***@EXAMPLE.COM',
      '****',
    ]);
  });

  it('scans unmasked text columns with detectors and leaves numbers alone', () => {
    const plan = maskPlanFor(
      planInput({
        masking: maskingConfig(['credit_card', 'email']),
        columns: [result('note'), result('n', 'int8'), result('meta', 'json')],
        lineage: [
          output('note', ['products.title']),
          output('n', ['products.id']),
          output('meta', ['products.title']),
        ],
        tablesRead: ['products'],
      }),
    );
    expect(
      maskRow(plan, [
        'paid with 4111 1111 1111 1111',
        '4111111111111111',
        '{"by":"bob@example.com","n":4111111111111111}',
      ]),
    ).toEqual([
      'paid with **** **** **** 1111',
      '4111111111111111',
      '{"by":"b***@example.com","n":4111111111111111}',
    ]);
  });

  it('masks inside an opaque row-to-JSON output, by key', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('row_to_json', 'json')],
        lineage: [output('row_to_json', ['users.*'], { opaque: true })],
        tablesRead: ['users'],
      }),
    );
    expect(plan.columns[0]).toMatchObject({ reason: 'json', strategy: 'redact' });
    expect(
      maskRow(plan, ['{"id":1,"name":"Alice","email":"alice@example.com","ssn":"123-45-6789","phone":null}']),
    ).toEqual(['{"id":1,"name":"Alice","email":"a***@example.com","ssn":"****","phone":null}']);
  });

  it('masks a derived JSON value inside when its masked columns keep their names, and whole otherwise', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('by_name', 'jsonb'), result('renamed', 'jsonb')],
        lineage: [output('by_name', ['users.id', 'users.email']), output('renamed', ['users.email'])],
        tablesRead: ['users'],
      }),
    );
    expect(maskRow(plan, ['{"id": 1, "email": "alice@example.com"}', '{"e": "alice@example.com"}'])).toEqual([
      '{"id": 1, "email": "a***@example.com"}',
      '"****"',
    ]);
  });

  it('masks a whole json column matched by a rule and keeps it valid JSON', () => {
    const masking = {
      ...maskingConfig(),
      columns: [{ match: 'users.profile', strategy: 'redact' as const }],
    };
    const plan = maskPlanFor(planInput({ masking, columns: [result('profile', 'jsonb', 'users.profile')] }));
    expect(maskRow(plan, ['{"bio": "hello"}'])).toEqual(['"****"']);
  });

  it('masks every cell of an uncertain result, NULL for non-text types', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('a'), result('b', 'int4'), result('c', 'jsonb')],
        lineage: null,
        tablesRead: ['users'],
      }),
    );
    expect(maskRow(plan, ['Alice', '42', '{"email":"alice@example.com","x":1}'])).toEqual([
      '****',
      null,
      '{"email":"a***@example.com","x":1}',
    ]);
  });

  it('leaves every value untouched for an exempt caller', () => {
    const plan = maskPlanFor(
      planInput({ groups: ['dba'], columns: [result('email', 'text', 'users.email')] }),
    );
    expect(maskRow(plan, ['alice@example.com'])).toEqual(['alice@example.com']);
  });
});
