import { join } from 'node:path';
import { Journal } from '@sluice/journal';
import { scratchDir } from '@sluice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePeriod, purgeOlderThan, scheduleRetention } from '../src/index.js';

const journals: Journal[] = [];
afterEach(() => {
  for (const journal of journals.splice(0)) journal.close();
});

function journalWithSessions(count: number): Journal {
  const journal = Journal.open(join(scratchDir('sluice-retention-'), 'journal.db'));
  journals.push(journal);
  for (let index = 0; index < count; index += 1) {
    journal.startSession({
      id: `s${index}`,
      identity: 'ci-bot',
      groups: [],
      connection: 'orders',
      protocol: 'postgres',
      clientAddress: '127.0.0.1:1',
      authMethod: 'scram-sha-256',
    });
  }
  return journal;
}

describe('retention', () => {
  it('purges what is older than the retention period, on a schedule, and the chain still verifies', async () => {
    const journal = journalWithSessions(4);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const outcomes: unknown[] = [];
    const stop = scheduleRetention(journal, 20, (outcome) => outcomes.push(outcome), {
      firstAfterMs: 0,
      everyMs: 50,
    });
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    stop();
    expect(outcomes[0]).toMatchObject({ result: { purged: 4, through: 4, checkpoint: 5 } });
    // Later runs purge the earlier checkpoints too: the newest one carries the chain.
    const verified = journal.verify();
    expect(verified.ok).toBe(true);
    expect(verified.purgedThrough).toBeGreaterThanOrEqual(4);
    expect(journal.records.search({ type: 'purge' }).records[0]?.payload).toMatchObject({
      actor: 'sluice (journal.retention)',
    });
  });

  it('purges nothing newer than the cutoff', () => {
    const journal = journalWithSessions(3);
    expect(purgeOlderThan(journal, 3_600_000, 'test')).toMatchObject({ purged: 0, checkpoint: null });
    expect(journal.headSeq()).toBe(3);
  });

  it('reads report periods', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    expect(parsePeriod({ since: '7d' }, now)).toEqual({ from: new Date('2026-11-30T12:00:00Z'), to: now });
    expect(parsePeriod({ from: '2026-11-01', to: '2026-12-01' }, now)).toEqual({
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
    });
    expect(() => parsePeriod({ since: '7d', from: '2026-11-01' }, now)).toThrow(/not both/);
    expect(() => parsePeriod({ from: '2026-12-08' }, now)).toThrow(/empty/);
    expect(() => parsePeriod({ since: 'soon' }, now)).toThrow(/neither a duration/);
  });
});
