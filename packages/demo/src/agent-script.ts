import type pg from 'pg';
import { expectThat, failureOf } from './expect.js';
import type { Transcript } from './transcript.js';

/** SQLSTATE insufficient_privilege: what Sluice answers a blocked statement with (SPEC §4). */
const BLOCKED_SQLSTATE = '42501';

const MASKED_SELECT = 'SELECT id, name, email, phone, card_number, ssn, notes\nFROM customers ORDER BY id';

interface CustomerRow {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
  readonly card_number: string | null;
  readonly ssn: string | null;
  readonly notes: string | null;
}

/** The personal data the seed holds in free text, which only the detectors can find. */
const SECRETS_IN_NOTES = ['accounts@keller.example.net', '555 0199'];

export interface AgentScriptInput {
  readonly transcript: Transcript;
  /** Connected through Sluice as the service account. */
  readonly agent: pg.Client;
  readonly agentName: string;
}

/** Steps 1–4: what an agent with a stock driver sees through Sluice. */
export async function runAgentScript(input: AgentScriptInput): Promise<void> {
  await maskedSelect(input);
  await blockedDrop(input);
  await blockedDeleteWithoutWhere(input);
  await allowedUpdate(input);
}

async function maskedSelect({ transcript, agent, agentName }: AgentScriptInput): Promise<void> {
  transcript.step('Personal data is masked on the wire');
  transcript.sql(MASKED_SELECT, agentName);
  const result = await agent.query<CustomerRow>(MASKED_SELECT);
  transcript.outcome(
    'allowed',
    `${result.rowCount} rows, rewritten by Sluice before they reached the driver:`,
  );
  transcript.line();
  transcript.table(
    result.fields.map((field) => field.name),
    result.rows.map((row) => [
      String(row.id),
      row.name,
      row.email,
      row.phone ?? 'NULL',
      row.card_number ?? 'NULL',
      row.ssn ?? 'NULL',
      row.notes ?? 'NULL',
    ]),
  );
  transcript.line();
  transcript.note('email: first letter kept; phone: a stable token (joinable); card: last 4 digits;');
  transcript.note('ssn: redacted; notes: addresses and numbers found by the detectors. The database');
  transcript.note('itself still holds the real values.');

  expectThat(result.rows.length > 0, 'the masked SELECT returned no rows');
  for (const row of result.rows) {
    expectThat(/^[^@*]\*\*\*@/.test(row.email), `email of customer ${row.id} is not masked: ${row.email}`);
    expectThat(row.ssn === '****', `ssn of customer ${row.id} is not redacted`);
    expectThat(
      /^\*+\d{4}$/.test(row.card_number ?? ''),
      `card of customer ${row.id} is not masked to its last 4`,
    );
    expectThat(/^h_[0-9a-f]+$/.test(row.phone ?? ''), `phone of customer ${row.id} is not a hash token`);
    const leaked = SECRETS_IN_NOTES.find((secret) => row.notes?.includes(secret));
    expectThat(leaked === undefined, `notes of customer ${row.id} still show personal data`);
  }
}

async function blockedDrop({ transcript, agent, agentName }: AgentScriptInput): Promise<void> {
  transcript.step('A destructive statement is blocked');
  const sql = 'DROP TABLE customers';
  transcript.sql(sql, agentName);
  const failure = await failureOf(() => agent.query(sql));
  expectThat(failure !== undefined, 'DROP TABLE was not blocked');
  transcript.outcome('blocked', failure.message);
  transcript.note(
    `SQLSTATE ${failure.code}: a normal PostgreSQL error; the statement never reached the database.`,
  );
  expectThat(
    failure.code === BLOCKED_SQLSTATE,
    `DROP TABLE failed with ${failure.code}, not ${BLOCKED_SQLSTATE}`,
  );
  expectThat(
    failure.message.startsWith('sluice: blocked by'),
    `DROP TABLE failed otherwise: ${failure.message}`,
  );
}

async function blockedDeleteWithoutWhere({ transcript, agent, agentName }: AgentScriptInput): Promise<void> {
  transcript.step('A DELETE without WHERE is blocked, and the connection stays usable');
  const sql = 'DELETE FROM orders';
  transcript.sql(sql, agentName);
  const failure = await failureOf(() => agent.query(sql));
  expectThat(failure !== undefined, 'DELETE without WHERE was not blocked');
  transcript.outcome('blocked', failure.message);
  expectThat(
    failure.code === BLOCKED_SQLSTATE,
    `DELETE failed with ${failure.code}, not ${BLOCKED_SQLSTATE}`,
  );

  const count = 'SELECT count(*)::int AS orders FROM orders';
  transcript.sql(count, agentName);
  const result = await agent.query<{ orders: number }>(count);
  const orders = result.rows[0]?.orders ?? 0;
  transcript.outcome('allowed', `${orders} orders, all still there, on the same connection`);
  expectThat(orders > 0, 'the orders are gone: the blocked DELETE reached the database');
}

async function allowedUpdate({ transcript, agent, agentName }: AgentScriptInput): Promise<void> {
  transcript.step('An ordinary write goes through');
  const sql = "UPDATE orders SET status = 'shipped'\nWHERE id = $1 AND status = 'new'";
  transcript.sql(`${sql}    -- $1 = 2`, agentName);
  const result = await agent.query(sql, [2]);
  transcript.outcome('allowed', `UPDATE ${result.rowCount}: a WHERE clause names the rows it changes`);
  expectThat(result.rowCount === 1, `the UPDATE changed ${result.rowCount} rows instead of 1`);
}
