import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AdminServer, startAdmin } from '@sluice/admin';
import { parseConfig } from '@sluice/config';
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
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from './install-chromium.js';

export const ADMIN_TOKEN = 'console-test-admin-token-0123456789';
const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../../../test-results/console-screenshots/', import.meta.url),
);

export const CONSOLE_POLICY = `
    guardrails: standard
    rules:
      - name: payroll-is-off-limits
        match: { tables: [payroll] }
        action: block
      - name: updates-need-approval
        match: { kind: [update] }
        action: approve
    masking:
      columns:
        - { match: '*.email', strategy: email }`;

export interface ConsoleHarness {
  readonly pg: ScratchPostgres;
  readonly gateway: Gateway;
  readonly admin: AdminServer;
  readonly issuer: JwtIssuer;
  readonly browser: Browser;
  /** A driver URL for the `orders` connection as the agent `ci-bot`. */
  readonly agentUrl: string;
  /** A page at `width`×`height`, signed in with `token`, on the console's `/`. */
  signedInPage(token: string, size?: { width: number; height: number }): Promise<Page>;
  jwt(name: string, groups?: readonly string[]): Promise<string>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A scratch PostgreSQL with an `orders` table, a gateway and the admin API serving the built
 * console, and Debian's Chromium. alice is an admin; `dba` approves; `audit` audits.
 */
export const CONSOLE_CLIENT_ID = 'sluice-console';

export interface ConsoleHarnessOptions {
  /** People sign in to the console through this provider (`admin.oidc`). */
  readonly provider?: OidcProvider;
  /** A scratch PostgreSQL already holding the tables (left running); one is started otherwise. */
  readonly pg?: ScratchPostgres;
  /** Extra YAML inside `journal:` (a shared store). */
  readonly journalYaml?: string;
  /** The service account made for the agent (default `ci-bot`); gateways on one store share accounts. */
  readonly agentName?: string;
}

/** The tables the console's pages show, on a fresh scratch PostgreSQL. */
export async function consoleDatabase(): Promise<ScratchPostgres> {
  const pg = await startPostgres();
  await pg.psql(
    `CREATE TABLE orders (id int PRIMARY KEY, item text, email text);
     CREATE TABLE payroll (id int, salary int);
     INSERT INTO orders VALUES (1, 'one', 'ann@example.com'), (2, 'two', 'bo@example.com'), (3, 'three', 'cy@example.com');
     GRANT ALL ON orders, payroll TO PUBLIC;`,
  );
  return pg;
}

export async function startConsoleHarness(options: ConsoleHarnessOptions = {}): Promise<ConsoleHarness> {
  const pg = options.pg ?? (await consoleDatabase());
  const dir = scratchDir('sluice-console-');
  // A copy: a build running meanwhile (the pack test's) empties dist/ before writing it again.
  const consoleDir = join(dir, 'console');
  await copyBuild(consoleDir);
  const issuer = await makeJwtIssuer();
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
${providerYaml(options.provider).admin}
identity:
  oidc:
    - issuer: ${issuer.issuer}
      audience: sluice
      jwks_file: ${issuer.writeJwksFile(dir)}
${providerYaml(options.provider).identity}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${pg.roles.scram}@${pg.host}:${pg.port}/${pg.database}
    upstream_password: \${UPSTREAM_PASSWORD}
    policy: gate
policies:
  gate:${CONSOLE_POLICY}
`;
  const file = join(dir, 'sluice.yaml');
  writeFileSync(file, yaml);
  const parsed = parseConfig(yaml, { file, env: { UPSTREAM_PASSWORD: pg.rolePassword, ADMIN_TOKEN } });
  if (!parsed.ok) throw new Error(`test config invalid: ${JSON.stringify(parsed.problems)}`);
  const log = pino({ level: process.env.SLUICE_TEST_LOG ?? 'silent' });
  const gateway = await startGateway(parsed.config, log);
  const secret = generateSecret();
  const agentName = options.agentName ?? 'ci-bot';
  gateway.journal.createAccount(
    { name: agentName, groups: ['ci'], expiresAt: null, verifiers: { ...makeVerifiers(secret) } },
    'test',
  );
  const admin = await startAdmin({
    config: parsed.config,
    control: gateway.control,
    journal: gateway.journal,
    log,
    consoleDir,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    pg,
    gateway,
    admin,
    issuer,
    browser,
    agentUrl: `postgres://${agentName}:${encodeURIComponent(secret)}@127.0.0.1:${gateway.portOf('orders')}/${pg.database}`,
    async signedInPage(token, size = { width: 1280, height: 800 }) {
      const context = await browser.newContext({
        viewport: size,
        timezoneId: 'Europe/Paris',
        locale: 'en-GB',
      });
      const page = await context.newPage();
      await page.goto(admin.url);
      await page.getByLabel('Admin token or OIDC token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Pages' }).waitFor();
      return page;
    },
    jwt: (name, groups = []) => issuer.sign({ sub: name, groups }),
    async screenshot(page, name) {
      const { width } = page.viewportSize() ?? { width: 0 };
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: false });
    },
    async close() {
      await browser.close();
      await admin.close();
      await gateway.close(1000);
      if (!options.pg) await pg.stop();
    },
  };
}

function providerYaml(provider: OidcProvider | undefined): { admin: string; identity: string } {
  if (!provider) return { admin: '', identity: '' };
  return {
    admin: `  oidc:\n    issuer: ${provider.issuer}\n    client_id: ${CONSOLE_CLIENT_ID}`,
    identity: `    - issuer: ${provider.issuer}\n      audience: ${CONSOLE_CLIENT_ID}\n      jwks_uri: ${provider.issuer}jwks.json`,
  };
}

/** Copies the console's build once index.html and every file it names are there (a build may be running). */
async function copyBuild(target: string): Promise<void> {
  for (let tries = 0; tries < 240; tries++) {
    const index = join(CONSOLE_BUILD, 'index.html');
    const html = existsSync(index) ? readFileSync(index, 'utf8') : '';
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
    if (html && assets.length > 0 && assets.every((asset) => existsSync(join(CONSOLE_BUILD, asset)))) {
      cpSync(CONSOLE_BUILD, target, { recursive: true });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the console is not built in ${CONSOLE_BUILD}: run pnpm build`);
}
