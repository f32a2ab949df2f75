import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, loadConfig, type SluiceConfig } from '@sluice/config';
import type { EmbeddedPostgres } from './embedded-postgres.js';
import { DemoError } from './errors.js';
import { DEMO_AUDIENCE, DEMO_GROUPS_CLAIM, DEMO_ISSUER } from './identities.js';

export const CONNECTION_NAME = 'shop';
export const CONFIG_FILE = 'sluice.yaml';
export const JOURNAL_FILE = 'sluice.db';
export const JWKS_FILE = 'jwks.json';
export const GATEWAY_LOG_FILE = 'gateway.log';
/** The admin API's token, readable by its owner only; the config names it as file:./admin-token. */
export const ADMIN_TOKEN_FILE = 'admin-token';

/** The group whose members approve held statements in the demo. */
export const REVIEWERS_GROUP = 'reviewers';

export interface DemoConfigInput {
  readonly dir: string;
  readonly port: number;
  /** The admin API's port (approvals, sessions, metrics). */
  readonly adminPort: number;
  readonly database: EmbeddedPostgres;
}

/**
 * The example policy as a YAML file the user can read and reuse with `sluice start --config`.
 * Paths are relative to the file, so the directory can be moved as a whole.
 */
export function demoConfigYaml(input: DemoConfigInput): string {
  const { database, port, adminPort } = input;
  return `# Written by \`sluice demo\`. Reuse it with: sluice start --config ${CONFIG_FILE}
# The upstream below is the demo's embedded PostgreSQL (PGlite), which lives only while
# \`sluice demo\` runs: point it at your own database to keep using this file.
journal:
  path: ./${JOURNAL_FILE}
  retention: 400d
  record_rows: 20
admin:
  # Approvals, live sessions, grants and metrics over HTTP (sluice approvals list, ...).
  listen: 127.0.0.1:${adminPort}
  token: file:./${ADMIN_TOKEN_FILE} # a random token written by the demo, owner-only
  approvers: { groups: [${REVIEWERS_GROUP}] }
identity:
  oidc:
    # Tokens signed by the key the demo generated; its public half is in ${JWKS_FILE}.
    - issuer: ${DEMO_ISSUER}
      audience: ${DEMO_AUDIENCE}
      jwks_file: ./${JWKS_FILE}
      groups_claim: ${DEMO_GROUPS_CLAIM}
connections:
  ${CONNECTION_NAME}:
    protocol: postgres
    listen: 127.0.0.1:${port}
    # PGlite lets every login in (trust), so Sluice needs no upstream password here.
    upstream: postgres://${database.user}@${database.host}:${database.port}/${database.database}
    policy: agents
policies:
  agents:
    guardrails: strict # DROP, TRUNCATE, DELETE/UPDATE without WHERE, GRANT, ... are blocked
    rules:
      # A change to a customer's record waits until a reviewer approves it.
      - name: customer-changes-need-approval
        match: { tables: [customers], kind: [update, delete] }
        action: approve
    default: allow
    masking:
      columns:
        - { match: "*.email", strategy: email } # a***@example.com
        - { match: "*.phone", strategy: hash } # stable token, still joinable
        - { match: "*.card_number", strategy: last4 } # ***************1111
        - { match: "*.ssn", strategy: redact } # ****
      # Personal data in free text (notes, comments) is found by content.
      detectors: [email, credit_card, us_ssn, phone, iban, secret]
`;
}

/** Writes the config into `input.dir` and loads it back through the same checks `sluice start` runs. */
export function writeDemoConfig(input: DemoConfigInput): {
  readonly path: string;
  readonly config: SluiceConfig;
} {
  const path = join(input.dir, CONFIG_FILE);
  const tokenFile = join(input.dir, ADMIN_TOKEN_FILE);
  if (!existsSync(tokenFile))
    writeFileSync(tokenFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  writeFileSync(path, demoConfigYaml(input));
  const result = loadConfig(path, {});
  if (!result.ok) {
    const problems = result.problems.map(formatProblem).join('; ');
    throw new DemoError('config-invalid', `the demo's own config is invalid: ${problems}`);
  }
  return { path, config: result.config };
}
