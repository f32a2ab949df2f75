import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ConnectionConfig, loadConfig, type SluiceConfig } from '@sluice/config';
import { describe, expect, it } from 'vitest';
import { sluice } from './support/cli.js';

/**
 * docker/compose.scale.yaml cannot run here (no Docker engine), so what a user relies on is read
 * from the files themselves: two gateways on one store behind HAProxy, the store migrated before
 * they start, HAProxy's checks on /readyz. The gateways' config goes through the real loader and
 * `sluice check`, HAProxy's through `haproxy -c`.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCKER = join(ROOT, 'docker');
const GATEWAYS = ['gateway-a', 'gateway-b'] as const;
const CONFIG_IN_CONTAINER = '/etc/sluice/sluice.yaml';
const JOURNAL_DIR = '/var/lib/sluice';

// yaml is a dependency of @sluice/config, not of the CLI: read from there rather than a second copy.
const yaml = createRequire(join(ROOT, 'packages/config/package.json'))('yaml') as {
  parse(text: string, options: { merge: boolean }): unknown;
};

interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly volumes?: readonly string[];
  readonly ports?: readonly string[];
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>> | readonly string[];
  readonly networks?: { readonly default?: { readonly ipv4_address?: string } };
}

interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
  readonly networks?: {
    readonly default?: { readonly ipam?: { readonly config?: { readonly subnet?: string }[] } };
  };
}

/** Compose's own merge keys (`<<: *anchor`) resolved, as Compose does. */
function readCompose(name: string): ComposeFile {
  return yaml.parse(readFileSync(join(DOCKER, name), 'utf8'), { merge: true }) as ComposeFile;
}

const compose = readCompose('compose.scale.yaml');
const singleGateway = readCompose('compose.yaml').services.sluice;
const configFile = join(DOCKER, 'sluice.scale.yaml');
const configText = readFileSync(configFile, 'utf8');

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.scale.yaml has no service ${name}`);
  return found;
}

/** The source mounted at `target` in a service (`source:target[:ro]`). */
function mountedAt(name: string, target: string): string | undefined {
  const volume = service(name).volumes?.find((each) => each.split(':')[1] === target);
  return volume?.split(':')[0];
}

function dependency(name: string, on: string): string | undefined {
  const dependsOn = service(name).depends_on;
  if (dependsOn === undefined) return undefined;
  if (Array.isArray(dependsOn)) return dependsOn.includes(on) ? 'service_started' : undefined;
  return (dependsOn as Readonly<Record<string, { readonly condition: string }>>)[on]?.condition;
}

/** A service's environment as its container gets it, `${VAR:?…}` standing for a value from .env. */
function environmentOf(name: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(service(name).environment ?? {})) {
    env[key] = /^\$\{[A-Z_]+(:\?[^}]*)?\}$/.test(value) ? `example-${key.toLowerCase()}` : value;
  }
  return env;
}

/** The gateways' config as `sluice start` in that service loads it. */
function configOf(name: string): SluiceConfig {
  const result = loadConfig(configFile, environmentOf(name));
  if (!result.ok)
    throw new Error(`sluice.scale.yaml does not load for ${name}: ${JSON.stringify(result.problems)}`);
  return result.config;
}

const gatewayConfig = configOf('gateway-a');
const adminPort = gatewayConfig.admin?.listen.port;

describe('docker/compose.scale.yaml', () => {
  it('runs two gateways on the image compose.yaml builds, each with its own id and journal volume', () => {
    const ids = new Set<string | undefined>();
    const journals = new Set<string | undefined>();
    for (const name of GATEWAYS) {
      const gateway = service(name);
      expect(gateway.build).toEqual(singleGateway?.build);
      expect(gateway.image).toBe(singleGateway?.image);
      expect(gateway.command?.slice(0, 3)).toEqual(['start', '--config', CONFIG_IN_CONTAINER]);
      expect(mountedAt(name, CONFIG_IN_CONTAINER)).toBe('./sluice.scale.yaml');
      const config = configOf(name);
      expect(config.journal.gatewayId).toBe(name);
      expect(config.journal.path.startsWith(`${JOURNAL_DIR}/`)).toBe(true);
      ids.add(config.journal.gatewayId);
      // A named volume of its own: the segment log and the replica belong to one gateway.
      const journal = mountedAt(name, JOURNAL_DIR);
      expect(Object.keys(compose.volumes ?? {})).toContain(journal);
      journals.add(journal);
    }
    expect(ids.size).toBe(GATEWAYS.length);
    expect(journals.size).toBe(GATEWAYS.length);
  });

  it('migrates the store before either gateway starts', () => {
    const migrate = service('migrate');
    expect(migrate.image).toBe(singleGateway?.image);
    expect(migrate.command).toEqual(['store', 'migrate', '--config', CONFIG_IN_CONTAINER]);
    expect(mountedAt('migrate', CONFIG_IN_CONTAINER)).toBe('./sluice.scale.yaml');
    expect(dependency('migrate', 'store')).toBe('service_healthy');
    for (const name of GATEWAYS) expect(dependency(name, 'migrate')).toBe('service_completed_successfully');
  });

  it('runs the store the config names, with the role and database it logs in as', () => {
    const store = gatewayConfig.journal.store;
    expect(store?.host).toBe('store');
    expect(service('store').image).toMatch(/^postgres:/);
    const init = mountedAt('store', '/docker-entrypoint-initdb.d/10-sluice-store.sh');
    expect(init).toBe('./store-init.sh');
    const script = join(DOCKER, 'store-init.sh');
    accessSync(script, constants.X_OK);
    const sql = readFileSync(script, 'utf8');
    expect(sql).toContain(`CREATE ROLE ${store?.user} LOGIN`);
    expect(sql).toContain(`CREATE DATABASE ${store?.database} OWNER ${store?.user}`);
    // The password the init script sets is the one the gateways log in with.
    expect(service('store').environment?.SLUICE_STORE_PASSWORD).toBe(
      service('gateway-a').environment?.SLUICE_STORE_PASSWORD,
    );
    expect(store?.password?.reveal()).toBe(environmentOf('gateway-a').SLUICE_STORE_PASSWORD);
  });

  it('runs the PostgreSQL and MariaDB databases the connections protect, before the gateways', () => {
    const images = gatewayConfig.connections.map((connection) => {
      const { host } = connection.upstream;
      for (const name of GATEWAYS) expect(dependency(name, host)).toBe('service_healthy');
      return [connection.protocol, service(host).image?.split(':')[0]];
    });
    expect(images).toEqual([
      ['postgres', 'postgres'],
      ['mysql', 'mariadb'],
    ]);
  });

  it.each(['migrate', ...GATEWAYS])(
    'gives %s every variable of sluice.scale.yaml, which then passes sluice check',
    async (name) => {
      const env = environmentOf(name);
      const variables = [...configText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1]);
      for (const variable of variables) expect(Object.keys(env)).toContain(variable);
      const result = await sluice(['check', '--config', configFile], env);
      expect(result.stderr).toBe('');
      expect(result).toMatchObject({ code: 0, stdout: `${configFile}: ok (2 connection(s), 1 policy)\n` });
    },
  );

  it('puts HAProxy in front with its config, on the ports clients and the console use', () => {
    const haproxy = service('haproxy');
    expect(haproxy.image).toMatch(/^haproxy:2\.\d+$/);
    expect(mountedAt('haproxy', '/usr/local/etc/haproxy/haproxy.cfg')).toBe('./haproxy.cfg');
    const published = (haproxy.ports ?? []).map((port) => port.split(':').at(-1));
    for (const port of [...gatewayConfig.connections.map((each) => each.listen.port), adminPort]) {
      expect(published).toContain(String(port));
    }
    // Clients reach the gateways through HAProxy only.
    for (const name of GATEWAYS) {
      const ports = (service(name).ports ?? []).map((port) => port.split(':').at(-1));
      expect(ports).toEqual([String(adminPort)]);
    }
  });
});

/** haproxy.cfg's sections ("frontend postgres", "defaults", …), each a list of its lines. */
function haproxySections(): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] = [];
  for (const raw of readFileSync(join(DOCKER, 'haproxy.cfg'), 'utf8').split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    if (/^\S/.test(raw)) {
      current = [];
      sections.set(line, current);
    } else {
      current.push(line.replace(/\s+/g, ' '));
    }
  }
  return sections;
}

const sections = haproxySections();

function section(name: string): string[] {
  const found = sections.get(name);
  if (!found) throw new Error(`haproxy.cfg has no section "${name}"`);
  return found;
}

/** The frontend bound to `port` and the backend it sends to. */
function frontAndBack(port: number): { front: string[]; back: string[] } {
  const frontend = [...sections].find(
    ([name, lines]) => name.startsWith('frontend ') && lines.includes(`bind :${port}`),
  );
  if (!frontend) throw new Error(`haproxy.cfg has no frontend on :${port}`);
  const backend = frontend[1].find((line) => line.startsWith('default_backend '))?.split(' ')[1];
  return { front: frontend[1], back: section(`backend ${backend}`) };
}

describe('docker/haproxy.cfg', () => {
  it.each(
    gatewayConfig.connections.map((connection): [string, ConnectionConfig] => [
      connection.protocol,
      connection,
    ]),
  )(
    'fronts %s in TCP mode on both gateways, checking /readyz for its connection on their admin port',
    (_protocol, connection) => {
      const { port } = connection.listen;
      const { front, back } = frontAndBack(port);
      expect(front).toContain('mode tcp');
      expect(back).toContain('mode tcp');
      // A CancelRequest or a `KILL QUERY` comes on a new connection and must reach the same gateway.
      expect(back).toContain('balance source');
      // Its own connection only: another database's outage leaves this protocol served.
      expect(back).toContain(`option httpchk GET /readyz?connection=${connection.name}`);
      expect(back).toContain('http-check expect status 200');
      for (const name of GATEWAYS)
        expect(back).toContain(`server ${name} ${name}:${port} check port ${adminPort} send-proxy-v2`);
    },
  );

  it('names each client to the gateways from the one address they take PROXY headers from', () => {
    const address = service('haproxy').networks?.default?.ipv4_address;
    const subnet = compose.networks?.default?.ipam?.config?.[0]?.subnet ?? '';
    expect(address).toBeDefined();
    // A fixed address needs a subnet of the file's own that holds it.
    const [network = '', bits = '32'] = subnet.split('/');
    expect(Number(bits)).toBe(24);
    expect(address?.split('.').slice(0, 3)).toEqual(network.split('.').slice(0, 3));
    const haproxyOnly = [{ address, prefix: 32, family: 'ipv4' }];
    for (const connection of gatewayConfig.connections) {
      expect(connection.proxyProtocolFrom, connection.name).toEqual(haproxyOnly);
    }
    // The admin API and console: HTTP, the caller named in X-Forwarded-For.
    expect(gatewayConfig.admin?.forwardedFrom).toEqual(haproxyOnly);
    expect(frontAndBack(Number(adminPort)).back).toContain('option forwardfor');
  });

  it('sends the admin API and the console to either gateway while it answers /healthz', () => {
    const { front, back } = frontAndBack(Number(adminPort));
    expect(front).toContain('mode http');
    // Not /readyz: approvers need the console most while a database is down.
    expect(back).toContain('option httpchk GET /healthz');
    expect(back).toContain('http-check expect status 200');
    for (const name of GATEWAYS) expect(back).toContain(`server ${name} ${name}:${adminPort} check`);
  });

  it('takes a gateway out after a few failed checks, and finds it again at a new address', () => {
    const defaults = section('defaults').find((line) => line.startsWith('default-server '));
    expect(defaults).toMatch(/ inter \d+s fall \d+ rise \d+/);
    expect(defaults).toMatch(/ init-addr last,libc,none /);
    expect(defaults).toContain(' resolvers docker ');
    expect(section('resolvers docker')).toContain('nameserver dns 127.0.0.11:53');
  });

  it('passes haproxy -c, warning only about the gateways’ names, which resolve inside Docker', async () => {
    const haproxy =
      ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].find((path) => existsSync(path)) ?? 'haproxy';
    const { stdout, stderr } = await promisify(execFile)(haproxy, ['-c', '-f', join(DOCKER, 'haproxy.cfg')]);
    expect(stdout).toContain('Configuration file is valid');
    const complaints = stderr.split('\n').filter((line) => /\[(WARNING|ALERT)\]/.test(line));
    expect(complaints.length).toBeGreaterThan(0);
    for (const line of complaints)
      expect(line).toMatch(/\[WARNING\].*could not resolve address 'gateway-[ab]'/);
  });
});
