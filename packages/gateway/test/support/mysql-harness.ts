import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type SluiceConfig } from '@sluice/config';
import { type Gateway, startGateway } from '@sluice/gateway';
import { generateSecret, makeVerifiers } from '@sluice/identity';
import { Journal } from '@sluice/journal';
import {
  type JwtIssuer,
  makeJwtIssuer,
  type ScratchMariadb,
  scratchDir,
  startMariadb,
} from '@sluice/testkit';
import type { ConnectionOptions } from 'mysql2/promise';
import { pino } from 'pino';

export interface MysqlHarness {
  readonly db: ScratchMariadb;
  readonly gateway: Gateway;
  readonly port: number;
  readonly dir: string;
  readonly issuer: JwtIssuer;
  /** A service account created before the gateway started. */
  readonly agent: { readonly name: string; readonly secret: string };
  /** The journal the gateway writes (one process writes a journal), for accounts made during a test. */
  readonly journal: Journal;
  /** mysql2 options for the gateway, as `user` with `password` (the agent by default). */
  options(user?: string, password?: string, extra?: ConnectionOptions): ConnectionOptions;
  /**
   * A service account; `keep` limits which verifiers are stored (an account without the native
   * verifier must use caching_sha2_password, one without either gets full authentication).
   */
  /**
   * Revokes an account in the running gateway as the admin API does (the journal's account
   * event, then the identity's sessions end at once): no process but the gateway writes the journal.
   */
  revokeAgent(name: string, reason?: string): void;
  addAgent(
    name: string,
    groups?: readonly string[],
    keep?: readonly ('mysqlNative' | 'cachingSha2')[],
  ): string;
  close(): Promise<void>;
}

export interface MysqlHarnessOptions {
  readonly db?: ScratchMariadb;
  /** Extra YAML for the `billing` connection, e.g. a tls block. */
  readonly connectionYaml?: string;
  /** The `gate` policy; protocol-fidelity tests run DDL, so guardrails are off unless given. */
  readonly policyYaml?: string;
  /** The `limits:` section's keys, indented by two spaces; the defaults when absent. */
  readonly limitsYaml?: string;
  /** Where the gateway sends its upstream logins, instead of the scratch server. */
  readonly upstream?: { readonly host: string; readonly port: number };
  /** The address the gateway listens on; 127.0.0.1 unless told (a remote client needs another). */
  readonly listenHost?: string;
  /** The credentials Sluice logs in upstream with, instead of the scratch server's app user. */
  readonly upstreamLogin?: { readonly user: string; readonly password: string };
  /** Extra YAML under `journal:`, e.g. `  min_free_space: 1GB`. */
  readonly journalYaml?: string;
  /** The journal's segment size (1: a new segment file for every append, to make one fail). */
  readonly segmentBytes?: number;
  /** Query string for the upstream URL, e.g. `?sslmode=require`. */
  readonly upstreamQuery?: string;
}

/** A scratch MariaDB, a journal, an OIDC issuer and a gateway in this process on port 0. */
export async function startMysqlHarness(options: MysqlHarnessOptions = {}): Promise<MysqlHarness> {
  const db = options.db ?? (await startMariadb());
  const dir = scratchDir('sluice-my-');
  const issuer = await makeJwtIssuer();
  const jwksFile = issuer.writeJwksFile(dir);
  const journalPath = join(dir, 'journal.db');
  const upstream = options.upstream ?? { host: db.host, port: db.port };
  const login = options.upstreamLogin ?? db.appUser;
  const yaml = `
journal:
  path: ${journalPath}
${options.journalYaml ?? ''}
identity:
  oidc:
    - issuer: ${issuer.issuer}
      audience: sluice
      jwks_file: ${jwksFile}
connections:
  billing:
    protocol: mysql
    listen: ${options.listenHost ?? '127.0.0.1'}:0
    upstream: mysql://${encodeURIComponent(login.user)}@${upstream.host}:${upstream.port}/${db.database}${options.upstreamQuery ?? ''}
    upstream_password: \${UPSTREAM_PASSWORD}
    policy: gate
${options.connectionYaml ?? ''}
policies:
  gate:
${options.policyYaml ?? '    guardrails: off'}
${options.limitsYaml ? `limits:\n${options.limitsYaml}` : ''}
`;
  const configFile = join(dir, 'sluice.yaml');
  writeFileSync(configFile, yaml);
  const config = parsed(yaml, configFile, login.password);
  const journal = Journal.open(journalPath, {
    sync: config.journal.sync,
    minFreeBytes: config.journal.minFreeBytes,
    segmentBytes: options.segmentBytes,
  });
  const addAgent: MysqlHarness['addAgent'] = (name, groups = [], keep = ['mysqlNative', 'cachingSha2']) => {
    const secret = generateSecret();
    const all = makeVerifiers(secret);
    const verifiers: Record<string, string> = { scramSha256: all.scramSha256 };
    for (const kind of keep) verifiers[kind] = all[kind];
    journal.createAccount({ name, groups, expiresAt: null, verifiers }, 'test');
    return secret;
  };
  const agent = { name: 'ci-bot', secret: addAgent('ci-bot', ['ci']) };
  const gateway = await startGateway(config, pino({ level: process.env.SLUICE_TEST_LOG ?? 'silent' }), {
    journal,
  });
  const port = gateway.portOf('billing');
  return {
    db,
    gateway,
    port,
    dir,
    issuer,
    agent,
    journal,
    addAgent,
    revokeAgent(name, reason = 'compromised') {
      gateway.journal.revokeAccount(name, 'test', reason);
      gateway.control.sessions.terminateIdentity(name, `service account "${name}" was revoked`);
    },
    options: (user = agent.name, password = agent.secret, extra = {}) => ({
      host: '127.0.0.1',
      port,
      user,
      password,
      database: db.database,
      ...extra,
    }),
    async close() {
      await gateway.close(1000);
      journal.close();
      if (!options.db) await db.stop();
    },
  };
}

function parsed(yaml: string, file: string, password: string): SluiceConfig {
  const result = parseConfig(yaml, { file, env: { UPSTREAM_PASSWORD: password } });
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}
