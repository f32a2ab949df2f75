import { describe, expect, it } from 'vitest';
import { JournalError } from '../src/index.js';
import { openJournal, tempJournalPath } from './helpers.js';

const VERIFIERS = {
  scramSha256: 'SCRAM-SHA-256$4096:c2FsdA==$stored:server',
  mysqlNative: '*0123456789ABCDEF',
};

function journalError(action: () => unknown): JournalError {
  try {
    action();
  } catch (error) {
    if (error instanceof JournalError) return error;
    throw error;
  }
  throw new Error('expected a JournalError');
}

describe('service accounts', () => {
  it('creates, rotates, modifies and revokes an account, keeping its state', () => {
    const journal = openJournal();
    const expiresAt = new Date('2030-01-01T00:00:00.000Z');
    const created = journal.createAccount(
      { name: 'ci-bot', groups: ['ci'], expiresAt, verifiers: VERIFIERS },
      'alice',
    );
    expect(created).toMatchObject({
      name: 'ci-bot',
      groups: ['ci'],
      status: 'active',
      expiresAt,
      verifiers: VERIFIERS,
    });
    expect(journal.getAccount('ci-bot')).toEqual(created);

    const rotated = journal.rotateAccount('ci-bot', { scramSha256: 'new' }, 'alice');
    expect(rotated.verifiers).toEqual({ scramSha256: 'new' });
    expect(rotated.createdAt).toEqual(created.createdAt);
    expect(rotated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    const modified = journal.modifyAccount('ci-bot', { groups: ['ci', 'deploy'], expiresAt: null }, 'bob');
    expect(modified).toMatchObject({
      groups: ['ci', 'deploy'],
      expiresAt: null,
      verifiers: { scramSha256: 'new' },
    });

    const revoked = journal.revokeAccount('ci-bot', 'bob', 'key leaked');
    expect(revoked.status).toBe('revoked');
    expect(journal.getAccount('ci-bot')).toEqual(revoked);
    expect(journal.getAccount('nobody')).toBeUndefined();
  });

  it('journals every change as an AC-2 event without verifiers', () => {
    const journal = openJournal();
    journal.createAccount({ name: 'ci-bot', groups: ['ci'], expiresAt: null, verifiers: VERIFIERS }, 'alice');
    journal.rotateAccount('ci-bot', { scramSha256: 'rotated-verifier' }, 'alice');
    journal.modifyAccount('ci-bot', { groups: ['ops'] }, 'bob');
    journal.revokeAccount('ci-bot', 'bob', 'key leaked');

    const events = journal.tail(10);
    expect(events.map((event) => [event.type, event.ref, event.payload.action, event.payload.actor])).toEqual(
      [
        ['account', 'ci-bot', 'create', 'alice'],
        ['account', 'ci-bot', 'rotate', 'alice'],
        ['account', 'ci-bot', 'modify', 'bob'],
        ['account', 'ci-bot', 'revoke', 'bob'],
      ],
    );
    expect(events[0]?.payload).toMatchObject({
      groups: ['ci'],
      status: 'active',
      verifier_kinds: ['scramSha256', 'mysqlNative'],
    });
    expect(events[2]?.payload).toMatchObject({ groups: ['ops'], changed: ['groups'] });
    expect(events[3]?.payload).toMatchObject({ status: 'revoked', reason: 'key leaked' });
    const stored = JSON.stringify(events);
    for (const verifier of [...Object.values(VERIFIERS), 'rotated-verifier'])
      expect(stored).not.toContain(verifier);
    expect(journal.verify()).toMatchObject({ ok: true, checked: 4 });
  });

  it('lets a second process see account events appended after a known seq', () => {
    const path = tempJournalPath();
    const gateway = openJournal(path);
    const cli = gateway;
    const reader = openJournal(path, { readonly: true });
    cli.createAccount({ name: 'ci-bot', groups: [], expiresAt: null, verifiers: {} }, 'alice');
    const seen = reader.headSeq();
    gateway.startSession({
      id: 's1',
      identity: 'ci-bot',
      groups: [],
      connection: 'orders',
      protocol: 'postgres',
      clientAddress: '127.0.0.1:1',
      authMethod: 'scram-sha-256',
    });
    cli.createAccount({ name: 'etl', groups: [], expiresAt: null, verifiers: {} }, 'alice');
    cli.revokeAccount('ci-bot', 'alice', 'offboarded');

    expect(reader.accountEventsSince(seen)).toEqual([
      { seq: 3, account: 'etl', action: 'create' },
      { seq: 4, account: 'ci-bot', action: 'revoke' },
    ]);
    expect(reader.accountEventsSince(4)).toEqual([]);
    expect(reader.getAccount('ci-bot')?.status).toBe('revoked');
  });

  it('lists accounts by name, revoked ones included', () => {
    const journal = openJournal();
    for (const name of ['zeta', 'alpha', 'mid']) {
      journal.createAccount({ name, groups: [], expiresAt: null, verifiers: {} }, 'alice');
    }
    journal.revokeAccount('mid', 'alice', 'unused');
    expect(journal.listAccounts().map((account) => [account.name, account.status])).toEqual([
      ['alpha', 'active'],
      ['mid', 'revoked'],
      ['zeta', 'active'],
    ]);
  });

  it('refuses a taken name, also one of a revoked account', () => {
    const journal = openJournal();
    journal.createAccount({ name: 'ci-bot', groups: [], expiresAt: null, verifiers: {} }, 'alice');
    const create = () =>
      journal.createAccount({ name: 'ci-bot', groups: [], expiresAt: null, verifiers: {} }, 'alice');
    expect(journalError(create).code).toBe('account-exists');
    journal.revokeAccount('ci-bot', 'alice', 'gone');
    expect(journalError(create).code).toBe('account-exists');
    // Refused changes leave no trace in the chain.
    expect(journal.headSeq()).toBe(2);
  });

  it('refuses changes to missing and revoked accounts', () => {
    const journal = openJournal();
    expect(journalError(() => journal.rotateAccount('ghost', {}, 'alice')).code).toBe('account-not-found');
    expect(journalError(() => journal.revokeAccount('ghost', 'alice', 'x')).code).toBe('account-not-found');
    expect(journalError(() => journal.modifyAccount('ghost', { groups: [] }, 'alice')).code).toBe(
      'account-not-found',
    );
    journal.createAccount({ name: 'ci-bot', groups: [], expiresAt: null, verifiers: {} }, 'alice');
    journal.revokeAccount('ci-bot', 'alice', 'gone');
    expect(journalError(() => journal.revokeAccount('ci-bot', 'alice', 'again')).code).toBe(
      'account-revoked',
    );
    expect(journalError(() => journal.rotateAccount('ci-bot', {}, 'alice')).code).toBe('account-revoked');
    expect(journalError(() => journal.modifyAccount('ci-bot', { groups: ['x'] }, 'alice')).code).toBe(
      'account-revoked',
    );
    expect(journal.headSeq()).toBe(2);
  });

  it.each(['CI', '1bot', '', 'a b', 'bot!', `a${'b'.repeat(63)}`])('refuses the account name %j', (name) => {
    const journal = openJournal();
    const error = journalError(() =>
      journal.createAccount({ name, groups: [], expiresAt: null, verifiers: {} }, 'alice'),
    );
    expect(error.code).toBe('invalid-name');
    expect(journal.headSeq()).toBe(0);
  });

  it('accepts names up to 63 characters of lower-case letters, digits, _ . and -', () => {
    const journal = openJournal();
    for (const name of ['a', 'ci-bot_2.prod', `a${'b'.repeat(62)}`]) {
      expect(journal.createAccount({ name, groups: [], expiresAt: null, verifiers: {} }, 'alice').name).toBe(
        name,
      );
    }
  });
});
