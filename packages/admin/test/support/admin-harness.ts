import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type SluiceConfig } from '@sluice/config';
import { type Gateway, startGateway } from '@sluice/gateway';
import { generateSecret, makeVerifiers } from '@sluice/identity';
import {
  type JwtIssuer,
  makeJwtIssuer,
  type ScratchPostgres,
  scratchDir,
  startPostgres,
} from '@sluice/testkit';
import { pino } from 'pino';
import { type AdminServer, startAdmin, type WebhookOptions } from '../../src/index.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface AdminHarness {
  readonly pg: ScratchPostgres;
  readonly gateway: Gateway;
  readonly admin: AdminServer;
  readonly issuer: JwtIssuer;
  readonly config: SluiceConfig;
  readonly configFile: string;
  /** A service account made before the gateway started. */
  readonly agent: { readonly name: string; readonly secret: string };
  /** A driver URL for the `orders` connection. */
  pgUrl(user?: string, password?: string): string;
  /** A person's JWT from the test issuer. */
  jwt(name: string, groups?: readonly string[]): Promise<string>;
  api(method: string, path: string, options?: { auth?: string | null; body?: unknown }): Promise<ApiReply>;
  close(): Promise<void>;
}

export interface ApiReply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test replies are read field by field
  readonly body: any;
  readonly text: string;
}

export interface AdminHarnessOptions {
  /** Extra YAML inside `admin:` (e.g. webhooks). */
  readonly adminYaml?: string;
  /** Extra YAML inside the `gate` policy. */
  readonly policyYaml?: string;
  readonly webhooks?: WebhookOptions;
  /** Built console files to serve at `/`. */
  readonly consoleDir?: string;
  /** Also serve the owner-only socket beside the journal (`admin.socketPath`). */
  readonly socket?: boolean;
  /** A scratch PostgreSQL to use (and leave running) instead of starting one. */
  readonly pg?: ScratchPostgres;
  /** The service account the harness creates (default `ci-bot`); gateways on one store share accounts. */
  readonly agentName?: string;
  /** Extra YAML inside `journal:` (e.g. a shared store). */
  readonly journalYaml?: string;
}

/**
 * A scratch PostgreSQL, a gateway in this process on port 0, and the admin API on port 0 over
 * it. People: alice is an admin, members of `dba` approve, members of `audit` audit.
 */
export async function startAdminHarness(options: AdminHarnessOptions = {}): Promise<AdminHarness> {
  const pg = options.pg ?? (await startPostgres());
  const dir = scratchDir('sluice-admin-');
  const issuer = await makeJwtIssuer();
  const jwksFile = issuer.writeJwksFile(dir);
  const yaml = `
journal:
  path: ${join(dir, 'journal.db')}
${options.journalYaml ?? ''}
admin:
  listen: 127.0.0.1:0
  token: \${ADMIN_TOKEN}
  admins: { identities: [alice] }
  approvers: { groups: [dba] }
  auditors: { groups: [audit] }
${options.adminYaml ?? ''}
identity:
  oidc:
    - issuer: ${issuer.issuer}
      audience: sluice
      jwks_file: ${jwksFile}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${pg.roles.scram}@${pg.host}:${pg.port}/${pg.database}
    upstream_password: \${UPSTREAM_PASSWORD}
    policy: gate
policies:
  gate:
    guardrails: off
${options.policyYaml ?? ''}
`;
  const configFile = join(dir, 'sluice.yaml');
  writeFileSync(configFile, yaml);
  const result = parseConfig(yaml, {
    file: configFile,
    env: { UPSTREAM_PASSWORD: pg.rolePassword, ADMIN_TOKEN },
  });
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.problems)}`);
  const config = result.config;
  const log = pino({ level: process.env.SLUICE_TEST_LOG ?? 'silent' });
  const gateway = await startGateway(config, log);
  const secret = generateSecret();
  const agentName = options.agentName ?? 'ci-bot';
  gateway.journal.createAccount(
    { name: agentName, groups: ['ci'], expiresAt: null, verifiers: { ...makeVerifiers(secret) } },
    'test',
  );
  const admin = await startAdmin({
    config,
    control: gateway.control,
    journal: gateway.journal,
    log,
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.consoleDir ? { consoleDir: options.consoleDir } : {}),
    ...(options.socket ? { socketPath: `${config.journal.path}.sock` } : {}),
  });
  const port = gateway.portOf('orders');
  return {
    pg,
    gateway,
    admin,
    issuer,
    config,
    configFile,
    agent: { name: agentName, secret },
    pgUrl: (user = agentName, password = secret) =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${pg.database}`,
    jwt: (name, groups = []) => issuer.sign({ sub: name, groups }),
    async api(method, path, { auth = `Bearer ${ADMIN_TOKEN}`, body } = {}) {
      const headers: Record<string, string> = {};
      if (auth) headers.authorization = auth;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${admin.url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Prometheus text and the like stay text.
      }
      return { status: response.status, body: parsed, text };
    },
    async close() {
      await admin.close();
      await gateway.close(1000);
      if (!options.pg) await pg.stop();
    },
  };
}

/** The admin records in the journal, newest last. */
export function adminRecords(harness: AdminHarness): Readonly<Record<string, unknown>>[] {
  return harness.gateway.journal.records.ofType('admin').map((entry) => entry.payload);
}

/** A statement approval request as the gateway would file it. */
export function statementRequest(identity: string, statement = 'DELETE FROM orders WHERE id = 1') {
  return {
    mode: 'hold' as const,
    identity,
    groups: [],
    sessionId: null,
    connection: 'orders',
    protocol: 'postgres',
    subject: {
      kind: 'statement' as const,
      statement,
      parameters: null,
      statementKind: 'delete',
      tables: ['orders'],
      estimatedRows: 1,
    },
    rule: 'writes-need-approval',
    reason: 'writes need approval',
    minApprovals: 1,
    approvers: { identities: [], groups: [] },
    recentStatements: [],
    timeoutMs: 60_000,
    ticketTtlMs: 60_000,
  };
}
