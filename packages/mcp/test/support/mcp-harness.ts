import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type AdminServer, startAdmin } from '@sluice/admin';
import { parseConfig, type SluiceConfig } from '@sluice/config';
import { type Gateway, startGateway } from '@sluice/gateway';
import { generateSecret, makeVerifiers } from '@sluice/identity';
import {
  freePort,
  type JwtIssuer,
  makeJwtIssuer,
  type ScratchMariadb,
  type ScratchPostgres,
  scratchDir,
  startMariadb,
  startPostgres,
} from '@sluice/testkit';
import { pino } from 'pino';
import { createMcpHttpEndpoint } from '../../src/index.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../apps/cli/dist/main.js');

/** The scratch database behind the gateway, whichever protocol it speaks. */
export interface ScratchDatabase {
  sql(statement: string): Promise<string>;
  stop(): Promise<void>;
}

export interface McpHarness {
  readonly db: ScratchDatabase;
  readonly gateway: Gateway;
  readonly admin: AdminServer;
  readonly issuer: JwtIssuer;
  readonly config: SluiceConfig;
  readonly configFile: string;
  readonly env: Record<string, string>;
  addAgent(name: string, groups?: readonly string[]): string;
  /** An MCP client (named `clientName`) that spawns `sluice mcp` acting as `agent`. */
  stdioClient(agent: string, secret: string, clientName?: string): Promise<Client>;
  close(): Promise<void>;
}

/** A scratch PostgreSQL, a gateway and admin API in this process, and a config file `sluice mcp` reads. */
export async function startMcpHarness(
  policyYaml: string,
  setupSql: string,
  protocol: 'postgres' | 'mysql' = 'postgres',
): Promise<McpHarness> {
  const upstream =
    protocol === 'postgres' ? postgresUpstream(await startPostgres()) : mysqlUpstream(await startMariadb());
  const dir = scratchDir('sluice-mcp-');
  const issuer = await makeJwtIssuer();
  const jwksFile = issuer.writeJwksFile(dir);
  const listen = await freePort();
  const yaml = `
journal:
  path: ${join(dir, 'journal.db')}
admin:
  listen: 127.0.0.1:0
  token: \${ADMIN_TOKEN}
  approvers: { groups: [dba] }
identity:
  oidc:
    - issuer: ${issuer.issuer}
      audience: sluice
      jwks_file: ${jwksFile}
connections:
  orders:
    protocol: ${protocol}
    listen: 127.0.0.1:${listen}
    upstream: ${upstream.url}
    upstream_password: \${UPSTREAM_PASSWORD}
    policy: gate
policies:
  gate:
${policyYaml}
`;
  const configFile = join(dir, 'sluice.yaml');
  writeFileSync(configFile, yaml);
  const env = { UPSTREAM_PASSWORD: upstream.password, ADMIN_TOKEN };
  const result = parseConfig(yaml, { file: configFile, env });
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.problems)}`);
  const config = result.config;
  await upstream.db.sql(setupSql);
  const log = pino({ level: process.env.SLUICE_TEST_LOG ?? 'silent' });
  const gateway = await startGateway(config, log);
  const admin = await startAdmin({
    config,
    control: gateway.control,
    journal: gateway.journal,
    log,
    mcp: createMcpHttpEndpoint(config),
  });
  const clients: Client[] = [];
  return {
    db: upstream.db,
    gateway,
    admin,
    issuer,
    config,
    configFile,
    env,
    addAgent(name, groups = []) {
      const secret = generateSecret();
      gateway.journal.createAccount(
        { name, groups, expiresAt: null, verifiers: { ...makeVerifiers(secret) } },
        'test',
      );
      return secret;
    },
    async stdioClient(agent, secret, clientName = 'test-agent') {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'mcp', '--config', configFile, '--connection', 'orders'],
        // Only what an agent's machine has: no upstream password, no admin token.
        env: { PATH: process.env.PATH ?? '', SLUICE_AGENT: agent, SLUICE_AGENT_SECRET: secret },
        stderr: 'pipe',
      });
      const client = new Client({ name: clientName, version: '1.0.0' });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await admin.close();
      await gateway.close(1000);
      await upstream.db.stop();
    },
  };
}

interface Upstream {
  readonly url: string;
  readonly password: string;
  readonly db: ScratchDatabase;
}

function postgresUpstream(pg: ScratchPostgres): Upstream {
  return {
    url: `postgres://${pg.roles.scram}@${pg.host}:${pg.port}/${pg.database}`,
    password: pg.rolePassword,
    db: { sql: (statement) => pg.psql(statement), stop: () => pg.stop() },
  };
}

function mysqlUpstream(db: ScratchMariadb): Upstream {
  return {
    url: `mysql://${db.appUser.user}@${db.host}:${db.port}/${db.database}`,
    password: db.appUser.password,
    db: { sql: (statement) => db.sql(statement), stop: () => db.stop() },
  };
}
