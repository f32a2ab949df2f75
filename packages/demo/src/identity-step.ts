import { Journal, type StatementRecord } from '@sluice/journal';
import type pg from 'pg';
import { expectThat } from './expect.js';
import type { Transcript } from './transcript.js';

const WHO_AM_I = 'SELECT current_user';
/** Longer than the store ever lags behind the segment log on a busy machine. */
const STORE_LAG_MS = 2000;

export interface Caller {
  readonly client: pg.Client;
  readonly name: string;
  /** How the caller proved who it is, in words. */
  readonly signedInWith: string;
}

export interface IdentityStepInput {
  readonly transcript: Transcript;
  readonly callers: readonly Caller[];
  readonly journalPath: string;
  /** Only journal records after this one belong to this run. */
  readonly afterSeq: number;
}

/**
 * Step 6: callers with their own identities share one upstream role, which the database sees,
 * while the journal attributes every statement to the caller that sent it.
 */
export async function runIdentityStep(input: IdentityStepInput): Promise<void> {
  const { transcript, callers } = input;
  transcript.step('Two identities, one database role: the journal tells them apart');
  const roles: string[] = [];
  for (const caller of callers) {
    transcript.sql(WHO_AM_I, caller.name);
    const result = await caller.client.query<{ current_user: string }>(WHO_AM_I);
    roles.push(result.rows[0]?.current_user ?? '');
  }
  const journalled = await journalledWhoAmIs(input, callers);
  transcript.line();
  transcript.table(
    ['CALLER', 'SIGNED IN WITH', 'current_user', 'JOURNALLED AS'],
    callers.map((caller, index) => {
      const record = journalled[index];
      const groups = record?.groups.length ? ` (groups: ${record.groups.join(', ')})` : '';
      return [
        caller.name,
        caller.signedInWith,
        roles[index] ?? '',
        record ? `${record.identity}${groups}` : '-',
      ];
    }),
  );
  transcript.line();
  transcript.note('The database sees only the role Sluice logs in with; neither caller knows its password.');

  callers.forEach((caller, index) => {
    expectThat(roles[index] === roles[0], `${caller.name} ran as ${roles[index]}, not as ${roles[0]}`);
    expectThat(
      journalled[index]?.identity === caller.name,
      `the journal does not attribute ${WHO_AM_I} to ${caller.name}`,
    );
  });
}

/**
 * Each caller's newest `SELECT current_user`, read from the journal file as an auditor would:
 * the store shows a record within about 100 ms of the gateway appending it, so wait that long.
 */
async function journalledWhoAmIs(
  input: IdentityStepInput,
  callers: readonly { readonly name: string }[],
): Promise<(StatementRecord | undefined)[]> {
  const deadline = Date.now() + STORE_LAG_MS;
  for (;;) {
    const found = callers.map((caller) => lastWhoAmI(input, caller.name));
    if (found.every(Boolean) || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The newest `SELECT current_user` this run journalled for `identity`. */
function lastWhoAmI(input: IdentityStepInput, identity: string): StatementRecord | undefined {
  const journal = Journal.open(input.journalPath, { readonly: true });
  try {
    let found: StatementRecord | undefined;
    for (const record of journal.statements({ identity })) {
      if (record.id > input.afterSeq && record.statement === WHO_AM_I) found = record;
    }
    return found;
  } finally {
    journal.close();
  }
}
