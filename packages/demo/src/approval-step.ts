import { AdminClient } from '@sluice/admin';
import type pg from 'pg';
import { expectThat } from './expect.js';
import type { Transcript } from './transcript.js';

const HELD_UPDATE = 'UPDATE customers SET phone = NULL\nWHERE id = 3';
/** How long the demo waits for the held statement to be listed. */
const LISTED_TIMEOUT_MS = 5_000;

export interface ApprovalStepInput {
  readonly transcript: Transcript;
  readonly agent: pg.Client;
  readonly agentName: string;
  readonly adminUrl: string;
  readonly reviewer: { readonly name: string; readonly token: string };
}

/**
 * Step 5: a change to a customer's record waits for a person. The agent's UPDATE is held, the
 * pending request is listed as `sluice approvals list` shows it, the reviewer approves it over
 * the admin API with their own token, and the agent's driver gets its real result.
 */
export async function runApprovalStep(input: ApprovalStepInput): Promise<void> {
  const { transcript, agent, agentName, reviewer } = input;
  transcript.step('A risky write waits for a person (sluice approvals)');
  transcript.sql(`${HELD_UPDATE}    -- a customer asked to be forgotten`, agentName);
  const notices: string[] = [];
  const onNotice = (notice: { message?: string }) => notices.push(notice.message ?? '');
  agent.on('notice', onNotice);
  const started = Date.now();
  const running = agent.query(HELD_UPDATE);
  try {
    const asReviewer = new AdminClient({ url: input.adminUrl, token: reviewer.token });
    const request = await pendingRequest(asReviewer);
    transcript.outcome('held', notices[0] ?? `waiting for approval ${request.id}`);
    transcript.line();
    transcript.line(`$ sluice approvals list            (as ${reviewer.name})`);
    transcript.table(
      ['ID', 'IDENTITY', 'RULE', 'STATEMENT'],
      [[request.id, request.identity, request.rule, statementOf(request.subject)]],
    );
    transcript.line();
    transcript.line(`$ sluice approvals approve ${request.id}    (as ${reviewer.name})`);
    const decided = await asReviewer.approve(request.id);
    expectThat(decided.state === 'approved', `the request is ${decided.state}, not approved`);
    const result = await running;
    const waited = ((Date.now() - started) / 1000).toFixed(1);
    transcript.outcome(
      'allowed',
      `UPDATE ${result.rowCount}, ${waited}s after it was sent: approved by ${reviewer.name}`,
    );
    transcript.note("The agent's driver simply waited; psql users see the notice above while it waits.");
    expectThat(result.rowCount === 1, `the approved UPDATE changed ${result.rowCount} rows instead of 1`);
  } finally {
    agent.off('notice', onNotice);
    await running.catch(() => undefined);
  }
}

async function pendingRequest(client: AdminClient) {
  const deadline = Date.now() + LISTED_TIMEOUT_MS;
  for (;;) {
    const [request] = await client.listApprovals('pending');
    if (request) return request;
    expectThat(Date.now() < deadline, 'the held UPDATE never appeared in sluice approvals list');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function statementOf(subject: { readonly kind: string; readonly statement?: string }): string {
  return (subject.statement ?? subject.kind).replace(/\s+/g, ' ');
}
