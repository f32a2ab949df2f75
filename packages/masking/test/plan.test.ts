import { describe, expect, it } from 'vitest';
import { maskPlanFor } from '../src/index.js';
import { maskingConfig, output, planInput, result } from './support/plans.js';

const masks = (plan: ReturnType<typeof maskPlanFor>) =>
  plan.columns.map((mask) => (mask === null ? null : `${mask.strategy}/${mask.reason}/${mask.rule}`));

describe('maskPlanFor: wire sources', () => {
  it('masks plain column references whose source matches a rule', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [
          result('id', 'int4', 'users.id'),
          result('contact', 'text', 'users.email'),
          result('ssn', 'varchar', 'users.ssn'),
        ],
        tablesRead: ['users'],
      }),
    );
    expect(masks(plan)).toEqual([null, 'email/source/*.email', 'redact/source/users.ssn']);
    expect(plan.maskedColumns).toEqual(['users.email', 'users.ssn']);
    expect(plan.empty).toBe(false);
  });

  it('respects the schema of a schema-qualified rule', () => {
    const masking = {
      ...maskingConfig(),
      columns: [{ match: 'public.users.ssn', strategy: 'redact' as const }],
    };
    const column = (schema: string) => ({
      name: 'ssn',
      typeName: 'text',
      source: { schema, table: 'users', column: 'ssn' },
    });
    expect(maskPlanFor(planInput({ masking, columns: [column('public')] })).columns[0]?.strategy).toBe(
      'redact',
    );
    expect(maskPlanFor(planInput({ masking, columns: [column('audit')] })).empty).toBe(true);
  });

  it('uses the first matching rule in configuration order', () => {
    const masking = {
      ...maskingConfig(),
      columns: [
        { match: 'users.email', strategy: 'redact' as const },
        { match: '*.email', strategy: 'email' as const },
      ],
    };
    const plan = maskPlanFor(
      planInput({
        masking,
        columns: [result('email', 'text', 'users.email'), result('email', 'text', 'orders.email')],
      }),
    );
    expect(masks(plan)).toEqual(['redact/source/users.email', 'email/source/*.email']);
  });
});

describe('maskPlanFor: lineage', () => {
  /** A result of a statement that reads `users`, as the analysis describes it. */
  const readUsers = (columns: ReturnType<typeof result>[], lineage: ReturnType<typeof output>[]) =>
    maskPlanFor(planInput({ columns, lineage, tablesRead: ['users'] }));

  it('follows an alias: SELECT email AS contact FROM users', () => {
    const plan = readUsers([result('contact')], [output('contact', ['users.email'], { direct: true })]);
    expect(masks(plan)).toEqual(['email/lineage/*.email']);
  });

  it('masks an expression over a masked column with its strategy: SELECT upper(email) AS e', () => {
    const plan = readUsers([result('e')], [output('e', ['users.email'])]);
    expect(masks(plan)).toEqual(['email/lineage/*.email']);
  });

  it("masks a concatenation with the strictest strategy of its sources: name || ' ' || email, email || ssn", () => {
    const plan = readUsers(
      [result('?column?'), result('?column?')],
      [output('?column?', ['users.name', 'users.email']), output('?column?', ['users.email', 'users.ssn'])],
    );
    expect(masks(plan)).toEqual(['email/lineage/*.email', 'redact/lineage/users.ssn']);
    expect(plan.maskedColumns).toEqual(['users.email', 'users.ssn']);
  });

  it('attributes an unqualified column to the tables read', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('ssn')],
        lineage: [output('ssn', ['?.ssn'], { direct: true })],
        tablesRead: ['users', 'orders'],
      }),
    );
    expect(masks(plan)).toEqual(['redact/lineage/users.ssn']);
  });

  it('leaves columns whose lineage reaches no masked column, and constants: SELECT id, name, 1', () => {
    const plan = readUsers(
      [result('id', 'int4'), result('name'), result('?column?', 'int4')],
      [
        output('id', ['users.id'], { direct: true }),
        output('name', ['users.name'], { direct: true }),
        output('?column?', []),
      ],
    );
    expect(plan.columns).toEqual([null, null, null]);
    expect(plan.empty).toBe(true);
  });

  it('expands SELECT * through the catalog', () => {
    const columns = ['id', 'name', 'email', 'ssn', 'phone', 'profile', 'created_at'].map((name) =>
      result(name),
    );
    const plan = readUsers(columns, [output('*', ['users.*'], { star: true })]);
    expect(masks(plan)).toEqual([
      null,
      null,
      'email/lineage/*.email',
      'redact/lineage/users.ssn',
      'hash/lineage/*.phone',
      null,
      null,
    ]);
  });

  it('expands t.* next to other columns, across a join', () => {
    const plan = maskPlanFor(
      planInput({
        columns: ['id', 'user_id', 'total', 'card_number', 'placed_at', 'email'].map((name) => result(name)),
        lineage: [
          output('*', ['orders.*'], { star: true }),
          output('email', ['users.email'], { direct: true }),
        ],
        tablesRead: ['orders', 'users'],
      }),
    );
    expect(masks(plan)).toEqual([
      null,
      null,
      null,
      'last4/lineage/*.card_number',
      null,
      'email/lineage/*.email',
    ]);
  });

  it('masks a column fed by a whole row as every masked column of that table: concat_ws(t.*)', () => {
    const plan = readUsers([result('concat_ws')], [output('concat_ws', ['users.*'])]);
    expect(plan.columns[0]?.strategy).toBe('redact');
  });
});

describe('maskPlanFor: uncertain origin fails closed', () => {
  it('masks every unattributed column with the strictest strategy when lineage is unknown', () => {
    const plan = maskPlanFor(
      planInput({ columns: [result('a'), result('b', 'varchar')], lineage: null, tablesRead: ['users'] }),
    );
    expect(masks(plan)).toEqual(['redact/uncertain/users.ssn', 'redact/uncertain/users.ssn']);
    expect(plan.maskedColumns).toEqual(['users.email', 'users.ssn', 'users.phone']);
  });

  it('trusts the wire source of a plain reference even when lineage is unknown', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('name', 'text', 'users.name'), result('x')],
        lineage: null,
        tablesRead: ['users'],
      }),
    );
    expect(masks(plan)).toEqual([null, 'redact/uncertain/users.ssn']);
  });

  it('masks an opaque column from the tables its lineage names', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('id', 'int4'), result('f')],
        lineage: [output('id', ['orders.id'], { direct: true }), output('f', ['orders.*'], { opaque: true })],
        tablesRead: ['orders', 'users'],
      }),
    );
    expect(masks(plan)).toEqual([null, 'last4/uncertain/*.card_number']);
  });

  it('treats lineage that does not line up with the result as unknown', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('a'), result('b')],
        lineage: [output('a', ['users.name'], { direct: true })],
        tablesRead: ['users'],
      }),
    );
    expect(masks(plan)).toEqual(['redact/uncertain/users.ssn', 'redact/uncertain/users.ssn']);
  });

  it('treats a star over a table of unknown columns as unknown, and assumes that table may hold masked columns', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('id', 'int4'), result('contact_email')],
        lineage: [output('*', ['crm.contacts.*'], { star: true })],
        tablesRead: ['crm.contacts'],
      }),
    );
    // Every rule whose table part admits crm.contacts may apply; the strictest of them is hash,
    // which a number carries as a number.
    expect(masks(plan)).toEqual(['hash/uncertain/*.phone', 'hash/uncertain/*.phone']);
    expect(plan.columns[0]?.number).toEqual({ digits: 9 });
    expect(plan.maskedColumns).toEqual(['contacts.email', 'contacts.card_number', 'contacts.phone']);
  });

  it('treats a stale catalog (names differ after expanding *) as unknown', () => {
    const plan = maskPlanFor(
      planInput({
        columns: ['id', 'title', 'sku'].map((name) => result(name)),
        lineage: [output('*', ['products.*'], { star: true })],
        tablesRead: ['products'],
      }),
    );
    expect(plan.empty).toBe(true);
  });

  it('does nothing when the tables read hold no masked column', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [result('title'), result('price', 'numeric')],
        lineage: null,
        tablesRead: ['products'],
      }),
    );
    expect(plan).toEqual({
      columns: [null, null],
      detectors: [],
      scans: ['none', 'none'],
      maskedColumns: [],
      empty: true,
    });
  });
});

describe('maskPlanFor: column types', () => {
  it('keeps last4 and hash on numbers, and turns other masks of numbers and dates into NULL', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [
          result('ssn', 'int8', 'users.ssn'),
          result('card_number', 'numeric', 'orders.card_number'),
          result('phone', 'varchar(32)', 'users.phone'),
          result('phone', 'int2', 'users.phone'),
          result('ssn', 'date', 'users.ssn'),
          result('card_number', 'date', 'orders.card_number'),
        ],
      }),
    );
    expect(masks(plan)).toEqual([
      'null/source/users.ssn',
      'last4/source/*.card_number',
      'hash/source/*.phone',
      'hash/source/*.phone',
      'null/source/users.ssn',
      'null/source/*.card_number',
    ]);
    expect(plan.columns[1]?.number).toEqual({ digits: 15 });
    expect(plan.columns[3]?.number).toEqual({ digits: 4 });
  });

  it('masks byte strings, arrays and row values as text, and scans them', () => {
    const plan = maskPlanFor(
      planInput({
        columns: [
          result('ssn', 'bytea', 'users.ssn'),
          result('email', 'varbinary', 'users.email'),
          result('ssn', 'array', 'users.ssn'),
          result('notes', 'bytea', 'users.notes'),
          result('notes', 'record', 'users.notes'),
          result('notes', 'uuid', 'users.notes'),
        ],
        masking: maskingConfig(['email']),
      }),
    );
    expect(masks(plan)).toEqual([
      'redact/source/users.ssn',
      'email/source/*.email',
      'redact/source/users.ssn',
      null,
      null,
      null,
    ]);
    expect(plan.scans).toEqual(['none', 'none', 'none', 'text', 'text', 'none']);
  });
});

describe('maskPlanFor: exemptions and configuration', () => {
  const columns = [result('email', 'text', 'users.email')];

  it('gives an exempt group an empty plan', () => {
    const plan = maskPlanFor(planInput({ columns, groups: ['agents', 'dba'], tablesRead: ['users'] }));
    expect(plan.empty).toBe(true);
    expect(plan.columns).toEqual([null]);
  });

  it('gives an empty plan without masking configuration', () => {
    expect(maskPlanFor(planInput({ columns, masking: undefined })).empty).toBe(true);
  });

  it('scans text and json columns with detectors, and leaves other types alone', () => {
    const plan = maskPlanFor(
      planInput({
        masking: maskingConfig(['email', 'phone', 'email']),
        columns: [result('title'), result('price', 'numeric'), result('meta', 'jsonb'), result('x', null)],
        lineage: null,
        tablesRead: ['products'],
      }),
    );
    expect(plan.detectors).toEqual(['email', 'phone']);
    expect(plan.scans).toEqual(['text', 'none', 'json', 'text']);
    expect(plan.columns).toEqual([null, null, null, null]);
    expect(plan.empty).toBe(false);
  });

  it('is empty when detectors have only non-text columns to scan', () => {
    const plan = maskPlanFor(
      planInput({
        masking: maskingConfig(['email']),
        columns: [result('n', 'int4')],
        tablesRead: ['products'],
      }),
    );
    expect(plan.empty).toBe(true);
  });
});
