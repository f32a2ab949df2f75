import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningGateway, startCli } from '../../support/cli.js';

export const ADMIN_TOKEN = 'scale-admin-token-0123456789abcdef';
/**
 * HAProxy connects to the gateways from this address and names each client in a PROXY header;
 * clients that connect to a gateway's own port come from 127.0.0.1, as themselves.
 */
export const BALANCER_ADDRESS = '127.0.0.2';

/** Where a gateway of the cluster finds the store and its protected databases. */
export interface GatewaySetup {
  readonly id: string;
  readonly home: string;
  readonly store: { readonly port: number; readonly user: string };
  readonly postgres: { readonly port: number; readonly user: string; readonly database: string };
  readonly mariadb?: { readonly port: number; readonly user: string; readonly database: string };
  /** The `policies.agents` mapping, indented by four spaces. */
  readonly policy: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface Ports {
  readonly postgres: number;
  readonly mysql: number;
  readonly admin: number;
}

export interface ApiReply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the admin API's JSON, read field by field in tests
  readonly body: any;
}

/**
 * One `sluice start` of the cluster. It first listens on ports the system picks; a restart
 * listens on the same ones again, as HAProxy's configuration names them.
 */
export class GatewayProcess {
  private current: RunningGateway | null = null;
  private bound: Ports | null = null;

  constructor(private readonly setup: GatewaySetup) {
    mkdirSync(setup.home, { recursive: true });
  }

  get id(): string {
    return this.setup.id;
  }

  get ports(): Ports {
    if (!this.bound) throw new Error(`${this.id} has not started`);
    return this.bound;
  }

  get running(): RunningGateway {
    if (!this.current) throw new Error(`${this.id} is not running`);
    return this.current;
  }

  get configPath(): string {
    return join(this.setup.home, 'sluice.yaml');
  }

  async start(): Promise<void> {
    writeFileSync(this.configPath, this.config(this.bound));
    const gateway = await startCli(this.configPath, this.setup.mariadb ? 2 : 1, this.setup.env);
    const admin = gateway.logs.find((entry) => entry.msg === 'admin API ready');
    this.bound = {
      postgres: gateway.ports.get('orders') ?? 0,
      mysql: gateway.ports.get('billing') ?? 0,
      admin: Number(admin?.port),
    };
    this.current = gateway;
  }

  /** `kill -9`: no drain, no last ingest; what it journalled waits in its segment log. */
  async kill(): Promise<void> {
    const gateway = this.running;
    this.current = null;
    gateway.process.kill('SIGKILL');
    await gateway.exited;
  }

  /** An admin API call with the admin token; `body` is sent as JSON. */
  async api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiReply> {
    const response = await fetch(`http://127.0.0.1:${this.ports.admin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  }

  private config(ports: Ports | null): string {
    const { id, store, postgres, mariadb, policy } = this.setup;
    const connections = [
      connectionYaml('orders', 'postgres', ports?.postgres, postgres, 'ORDERS_DB_PASSWORD'),
      mariadb ? connectionYaml('billing', 'mysql', ports?.mysql, mariadb, 'BILLING_DB_PASSWORD') : '',
    ].join('');
    return `journal:
  path: ./sluice.db
  store: postgres://${store.user}@127.0.0.1:${store.port}/sluice_store
  store_password: \${STORE_PASSWORD}
  gateway_id: ${id}
admin:
  listen: 127.0.0.1:${ports?.admin ?? 0}
  token: \${SLUICE_ADMIN_TOKEN}
connections:
${connections}policies:
  agents:
${policy}
`;
  }
}

/** One connection, trusting HAProxy's PROXY header; port 0 (the first start) lets the system pick. */
function connectionYaml(
  name: string,
  protocol: 'postgres' | 'mysql',
  port: number | undefined,
  upstream: { readonly user: string; readonly port: number; readonly database: string },
  passwordVariable: string,
): string {
  return `  ${name}:
    protocol: ${protocol}
    listen: 127.0.0.1:${port ?? 0}
    proxy_protocol_from: [${BALANCER_ADDRESS}]
    upstream: ${protocol}://${upstream.user}@127.0.0.1:${upstream.port}/${upstream.database}
    upstream_password: \${${passwordVariable}}
    policy: agents
`;
}
