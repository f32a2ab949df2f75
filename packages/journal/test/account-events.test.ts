import { describe, expect, it } from 'vitest';
import type { Journal } from '../src/index.js';
import { openJournal, sampleStatement, tempJournalPath } from './helpers.js';

function addAccount(journal: Journal, name: string): void {
  journal.createAccount({ name, groups: [], expiresAt: null, verifiers: {} }, 'alice');
}

describe('account events read after a known position', () => {
  it('are found however the poll position relates to the records read before', () => {
    const path = tempJournalPath();
    // One process writes a journal: account changes reach it through the gateway's admin API.
    const gateway = openJournal(path);
    const cli = gateway;
    addAccount(cli, 'first');
    const seen = gateway.headSeq();
    for (let index = 0; index < 30; index += 1) gateway.recordStatement(sampleStatement());
    expect(gateway.accountEventsSince(seen)).toEqual([]);

    addAccount(cli, 'second');
    gateway.recordStatement(sampleStatement());
    cli.revokeAccount('first', 'alice', 'offboarded');
    // The same position as before: the events appended since show, each once.
    expect(gateway.accountEventsSince(seen)).toEqual([
      { seq: 32, account: 'second', action: 'create' },
      { seq: 34, account: 'first', action: 'revoke' },
    ]);
    expect(gateway.accountEventsSince(seen)).toEqual([
      { seq: 32, account: 'second', action: 'create' },
      { seq: 34, account: 'first', action: 'revoke' },
    ]);
    // Moving on past one of them, then back to before every event.
    expect(gateway.accountEventsSince(32)).toEqual([{ seq: 34, account: 'first', action: 'revoke' }]);
    expect(gateway.accountEventsSince(34)).toEqual([]);
    expect(gateway.accountEventsSince(0).map((event) => event.seq)).toEqual([1, 32, 34]);
    // Beyond anything read so far.
    addAccount(cli, 'third');
    expect(gateway.accountEventsSince(35)).toEqual([]);
    expect(gateway.accountEventsSince(34)).toEqual([{ seq: 35, account: 'third', action: 'create' }]);
  });
});
