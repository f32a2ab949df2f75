import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type SluiceConfig } from '@sluice/config';
import { type Gateway, startGateway } from '@sluice/gateway';
import { generateSecret, makeVerifiers } from '@sluice/identity';
import { Journal } from '@sluice/journal';
import {
  type JwtIssuer,
  makeJwtIssuer,
  type ScratchPostgres,
  scratchDir,
  startPostgres,
} from '@sluice/testkit';
import { pino } from 'pino';

export interface Harness {
  readonly pg: ScratchPostgres;
  readonly gateway: Gateway;
  readonly port: number;
  readonly dir: string;
  readonly journalPath: string;
  readonly issuer: JwtIssuer;
  /** A service account created before the gateway started. */
  readonly agent: { readonly name: string; readonly secret: string };
  /** The journal the gateway writes (one process writes a journal), for accounts made during a test. */
  readonly journal: Journal;
  url(user?: string, password?: string, extra?: string): string;
  addAgent(name: string, groups?: readonly string[]): string;
  /**
   * Revokes an account in the running gateway as the admin API does (the journal's account
   * event, then the identity's sessions end at once): no process but the gateway writes the journal.
   */
  revokeAgent(name: string, reason?: string): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly pg?: ScratchPostgres;
  /** Extra YAML for the `orders` connection, e.g. a tls block. */
  readonly connectionYaml?: string;
  /**
   * The `gate` policy. Protocol-fidelity tests run DDL and DO blocks, so the default turns
   * guardrails off; policy tests pass their own.
   */
  readonly policyYaml?: string;
  /** The `limits:` section's keys, indented by two spaces; the defaults when absent. */
  readonly limitsYaml?: string;
  readonly upstreamRole?: 'scram' | 'md5' | 'clear' | 'trust';
  readonly upstream?: { readonly host: string; readonly port: number };
  /** Extra YAML under `journal:`, e.g. `  min_free_space: 1GB`. */
  readonly journalYaml?: string;
  /** The journal's segment size (1: a new segment file for every append, to make one fail). */
  readonly segmentBytes?: number;
  /** The address the gateway listens on; 127.0.0.1 unless told (a remote client needs another). */
  readonly listenHost?: string;
  /** Receives the gateway's log lines (JSON, level warn and above) when given. */
  readonly logLines?: string[];
}

/** A scratch PostgreSQL, a journal, an OIDC issuer and a gateway in this process on port 0. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const pg = options.pg ?? (await startPostgres());
  const dir = scratchDir('sluice-gw-');
  const issuer = await makeJwtIssuer();
  const jwksFile = issuer.writeJwksFile(dir);
  const journalPath = join(dir, 'journal.db');
  const role = pg.roles[options.upstreamRole ?? 'scram'];
  const upstream = options.upstream ?? { host: pg.host, port: pg.port };
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
  orders:
    protocol: postgres
    listen: ${options.listenHost ?? '127.0.0.1'}:0
    upstream: postgres://${role}@${upstream.host}:${upstream.port}/${pg.database}
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
  const config = parsed(yaml, configFile, pg.rolePassword);
  const journal = Journal.open(journalPath, {
    sync: config.journal.sync,
    minFreeBytes: config.journal.minFreeBytes,
    segmentBytes: options.segmentBytes,
  });
  const addAgent = (name: string, groups: readonly string[] = []): string => {
    const secret = generateSecret();
    journal.createAccount({ name, groups, expiresAt: null, verifiers: { ...makeVerifiers(secret) } }, 'test');
    return secret;
  };
  const agent = { name: 'ci-bot', secret: addAgent('ci-bot', ['ci']) };
  const { logLines } = options;
  const log = logLines
    ? pino({ level: 'warn' }, { write: (line: string) => logLines.push(line) })
    : pino({ level: process.env.SLUICE_TEST_LOG ?? 'silent' });
  const gateway = await startGateway(config, log, { journal });
  const port = gateway.portOf('orders');
  return {
    pg,
    gateway,
    port,
    dir,
    journalPath,
    issuer,
    agent,
    journal,
    addAgent,
    revokeAgent(name, reason = 'compromised') {
      gateway.journal.revokeAccount(name, 'test', reason);
      gateway.control.sessions.terminateIdentity(name, `service account "${name}" was revoked`);
    },
    url: (user = agent.name, password = agent.secret, extra = '') =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${pg.database}${extra}`,
    async close() {
      await gateway.close(1000);
      journal.close();
      if (!options.pg) await pg.stop();
    },
  };
}

function parsed(yaml: string, file: string, password: string): SluiceConfig {
  const result = parseConfig(yaml, { file, env: { UPSTREAM_PASSWORD: password } });
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}
