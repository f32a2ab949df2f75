import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Journal } from '@sluice/journal';
import pg from 'pg';
import { runAgentScript } from './agent-script.js';
import { runApprovalStep } from './approval-step.js';
import { GATEWAY_LOG_FILE, JOURNAL_FILE, JWKS_FILE, REVIEWERS_GROUP } from './demo-config.js';
import {
  type DemoGateway,
  ensurePortAvailable,
  type GatewayLogger,
  startDemoGateway,
} from './demo-gateway.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { DemoError } from './errors.js';
import { createTokenIssuer, DEMO_ISSUER, provisionServiceAccount } from './identities.js';
import { runIdentityStep } from './identity-step.js';
import { type AuditFormat, runJournalSteps } from './journal-step.js';
import { runMcpStep } from './mcp-step.js';
import { seedShop } from './seed.js';
import { printFiles, printRunning } from './summary.js';
import { Transcript, type TranscriptOutput } from './transcript.js';

const AGENT = { name: 'demo-agent', groups: ['agents'] } as const;
const ANALYST = { name: 'ana@example.com', groups: ['analysts'] } as const;
const REVIEWER = { name: 'rita@example.com', groups: [REVIEWERS_GROUP] } as const;
/** Time sessions opened by the user (psql) get to finish when the demo stops. */
const SHUTDOWN_GRACE_MS = 2_000;
const CLOSE_PATIENCE_MS = 1_000;

export interface DemoOptions {
  /** Where the config, JWKS, journal and log go; a new temporary directory when undefined. */
  readonly dir: string | undefined;
  /** The gateway's port; 6432 when free, another otherwise, when undefined. */
  readonly port: number | undefined;
  readonly out: TranscriptOutput;
  readonly audit: AuditFormat;
  /** The sluice CLI's entry script; the MCP step starts `sluice mcp` with it. */
  readonly cli: string;
  /** A logger for the gateway writing to `path`, so its lines stay out of the transcript. */
  openLog(path: string): GatewayLogger;
  /**
   * Called once the transcript is done; the gateway runs until the promise it returns settles.
   * Without it the demo stops right after the transcript (`--once`).
   */
  waitForStop?: () => Promise<unknown>;
}

/**
 * `sluice demo`: an embedded PostgreSQL with a small shop in it, Sluice in front of it with an
 * example policy, and a scripted agent whose every step is printed. Rejects with DemoError (or
 * the underlying error) when a step does not behave as the transcript says; everything it
 * started is stopped either way.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  await ensurePortAvailable(options.port);
  const transcript = new Transcript(options.out);
  const dir = demoDir(options.dir);
  const clients: pg.Client[] = [];
  let database: EmbeddedPostgres | undefined;
  let running: DemoGateway | undefined;
  try {
    transcript.title('Sluice demo: an agent, a database with personal data, and a gateway between them');
    transcript.line(`working directory: ${dir}`);
    database = await transcript.progress(
      'starting an embedded PostgreSQL (PGlite)',
      startEmbeddedPostgres(),
      (db) => `ready on 127.0.0.1:${db.port}`,
    );
    if (!database.fromCache) {
      transcript.note(
        'first start on this machine: later demos start from a saved copy of its data directory',
      );
    }
    const seeded = await seedShop(database);
    transcript.line(
      `seeded a shop: ${seeded.customers} customers (with email, phone, card_number, ssn), ` +
        `${seeded.products} products, ${seeded.orders} orders`,
    );

    const journalPath = join(dir, JOURNAL_FILE);
    const issuer = await createTokenIssuer(join(dir, JWKS_FILE));
    const { account, afterSeq } = withJournal(journalPath, (journal) => ({
      afterSeq: journal.headSeq(),
      account: provisionServiceAccount(journal, AGENT.name, AGENT.groups),
    }));
    const token = await issuer.mint(ANALYST.name, ANALYST.groups);
    const reviewerToken = await issuer.mint(REVIEWER.name, REVIEWER.groups);
    running = await startDemoGateway(
      dir,
      database,
      options.port,
      options.openLog(join(dir, GATEWAY_LOG_FILE)),
    );
    transcript.line(
      `Sluice listens on 127.0.0.1:${running.port} with policy "agents" (guardrails: strict, masking)`,
    );
    transcript.line(`its admin API (approvals, sessions, metrics) on ${running.admin.url}`);
    transcript.line(
      `service account ${account.name} ${account.created ? 'created' : 'given a new secret'} ` +
        `(as sluice agents add); JWTs minted for ${ANALYST.name} and the reviewer ${REVIEWER.name}`,
    );

    const agent = await connect(clients, running.port, account.name, account.secret);
    const analyst = await connect(clients, running.port, ANALYST.name, token);
    await runAgentScript({ transcript, agent, agentName: account.name });
    await runApprovalStep({
      transcript,
      agent,
      agentName: account.name,
      adminUrl: running.admin.url,
      reviewer: { name: REVIEWER.name, token: reviewerToken },
    });
    await runIdentityStep({
      transcript,
      journalPath,
      afterSeq,
      callers: [
        { client: agent, name: account.name, signedInWith: 'service-account secret (SCRAM)' },
        { client: analyst, name: ANALYST.name, signedInWith: `JWT from ${new URL(DEMO_ISSUER).host}` },
      ],
    });
    await runMcpStep({
      transcript,
      configPath: running.configPath,
      agent: { name: account.name, secret: account.secret },
      cli: options.cli,
    });
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await runJournalSteps({ transcript, journalPath, afterSeq, sessions: 3, audit: options.audit });

    printFiles(transcript, dir, running.configPath);
    if (options.waitForStop) {
      printRunning(transcript, dir, running.port, account);
      await options.waitForStop();
      transcript.line('stopping: the gateway first, then the database');
    }
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    if (running) await closeGateway(running, transcript);
    await database?.stop();
  }
}

/**
 * Closing waits for clients to close their side of the socket, which an idle psql does only
 * when it next reads from it; the demo does not wait for that, since the process exits next.
 */
async function closeGateway(running: DemoGateway, transcript: Transcript): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const patience = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), SHUTDOWN_GRACE_MS + CLOSE_PATIENCE_MS);
  });
  await running.admin.close();
  const closed = await Promise.race([running.gateway.close(SHUTDOWN_GRACE_MS), patience]);
  clearTimeout(timer);
  if (closed === 'timeout') transcript.note('a client still holds its connection open: not waiting for it');
}

function demoDir(requested: string | undefined): string {
  const dir = requested === undefined ? join(tmpdir(), 'sluice-demo-') : resolve(requested);
  try {
    if (requested === undefined) return mkdtempSync(dir);
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new DemoError('dir-unusable', `cannot create the demo directory ${dir} (${reason})`, {
      cause: error,
    });
  }
}

async function connect(
  clients: pg.Client[],
  port: number,
  user: string,
  password: string,
): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  // A connection lost between queries is reported by the next query; without a listener the
  // 'error' event would end the process with a stack trace instead.
  client.on('error', () => undefined);
  clients.push(client);
  await client.connect();
  return client;
}

function withJournal<T>(path: string, use: (journal: Journal) => T): T {
  const journal = Journal.open(path);
  try {
    return use(journal);
  } finally {
    journal.close();
  }
}
