import { describe, expect, it } from 'vitest';
import { defaultLexerState, fingerprint } from '../src/index.js';

const postgres = defaultLexerState('postgres');
const mysql = defaultLexerState('mysql');

describe('fingerprint', () => {
  it('replaces literals and parameters, upper-cases keywords and collapses whitespace', () => {
    expect(
      fingerprint("select  id,\n\tname from Users where id = 42 and name = 'x' and flag = $1", postgres),
    ).toBe('SELECT id, name FROM users WHERE id = ? AND name = ? AND flag = ?');
  });

  it('is shared by statements that differ only in literals', () => {
    const a = fingerprint("SELECT * FROM t WHERE a = 1 AND b = 'x' -- one", postgres);
    const b = fingerprint("SELECT *\nFROM t /* two */ WHERE a = 99 AND b = E'y\\n'", postgres);
    expect(a).toBe(b);
  });

  it('differs when the structure differs', () => {
    const base = fingerprint('SELECT * FROM t WHERE a = 1', postgres);
    expect(fingerprint('SELECT * FROM u WHERE a = 1', postgres)).not.toBe(base);
    expect(fingerprint('SELECT * FROM t WHERE a > 1', postgres)).not.toBe(base);
    expect(fingerprint('SELECT * FROM t WHERE a = 1 OR 1 = 1', postgres)).not.toBe(base);
    expect(fingerprint('DELETE FROM t WHERE a = 1', postgres)).not.toBe(base);
  });

  it('keeps quoted identifiers with their case, apart from unquoted ones', () => {
    expect(fingerprint('SELECT "Email" FROM "Users"', postgres)).toBe('SELECT "Email" FROM "Users"');
    expect(fingerprint('SELECT "Email" FROM t', postgres)).not.toBe(
      fingerprint('SELECT Email FROM t', postgres),
    );
    expect(fingerprint('SELECT `Email` FROM `Users`', mysql)).toBe('SELECT `Email` FROM `Users`');
  });

  it('collapses IN lists of literals to IN (?)', () => {
    expect(fingerprint('SELECT * FROM t WHERE id IN (1, 2, 3)', postgres)).toBe(
      'SELECT * FROM t WHERE id IN (?)',
    );
    expect(fingerprint('SELECT * FROM t WHERE id IN (-1)', postgres)).toBe(
      fingerprint('SELECT * FROM t WHERE id IN (4, 5)', postgres),
    );
    expect(fingerprint('SELECT * FROM t WHERE id IN (a, 2)', postgres)).toBe(
      'SELECT * FROM t WHERE id IN (a, ?)',
    );
  });

  it('collapses repeated VALUES rows', () => {
    const one = fingerprint("INSERT INTO t (a, b) VALUES (1, 'x')", mysql);
    const many = fingerprint("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')", mysql);
    expect(many).toBe(one);
    expect(one).toBe('INSERT INTO t(a, b) VALUES (?, ?)');
    expect(fingerprint('INSERT INTO t VALUES (1), (now())', postgres)).toBe(
      'INSERT INTO t VALUES (?), (now())',
    );
  });

  it('keeps MySQL executable comment code and marks version-gated code', () => {
    expect(fingerprint('/*!50000 DROP TABLE t */', mysql)).toBe(fingerprint('DROP TABLE t', mysql));
    expect(fingerprint('DELETE FROM t /*!99999 WHERE id = 1 */', mysql)).toBe(
      'DELETE FROM t /*! WHERE id = ? */',
    );
  });

  it('keeps booleans and NULL as keywords', () => {
    expect(fingerprint('SELECT true, null FROM t', postgres)).toBe('SELECT TRUE, NULL FROM t');
  });

  it('keeps Postgres ? operators apart from literals', () => {
    expect(fingerprint("SELECT d ? 'k' FROM t", postgres)).toBe('SELECT d OPERATOR(?) ? FROM t');
  });

  it('marks text it cannot lex', () => {
    expect(fingerprint("SELECT 'open", postgres)).toBe('SELECT ?unterminated-string');
  });
});
