// Sluice gateways for the benchmarks: each is `sluice start` in its own child process (so its
// memory and CPU are its own), with a generated config and a service account named `bench`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ROOT, run, spawnDaemon, waitForPort } from './processes.mjs';
import { scratchDir } from './servers.mjs';

const CLI = 'apps/cli/dist/main.js';
export const ACCOUNT = 'bench';

/** Guardrails off, no rules, no masking: the cost of the data path and the journal alone. */
export const POLICY_OFF = `    guardrails: off
    default: allow`;

/** Sluice as users run it: strict guardrails, a rule, masked columns and every detector. */
export const POLICY_USERS = `    guardrails: strict
    default: allow
    rules:
      - name: no-payroll
        match: { tables: [payroll.*] }
        action: block
    masking:
      columns:
        - { match: "*.email", strategy: email }
        - { match: "*.ssn", strategy: redact }
        - { match: "*.card_number", strategy: last4 }
      detectors: [email, credit_card, us_ssn, phone, iban, secret]`;

function connectionYaml(connection, port) {
  const { server } = connection;
  return `  ${connection.name}:
    protocol: ${connection.protocol}
    listen: 127.0.0.1:${port}
    upstream: ${connection.protocol}://${server.user}@${server.host}:${server.port}/${server.database}
    upstream_password: \${BENCH_UPSTREAM_${connection.name.toUpperCase()}}
    policy: bench`;
}

/**
 * The `journal:` lines: the SQLite journal, or with `store` ({ url, password }) the replica of a
 * shared PostgreSQL store and this gateway's id in it.
 */
function journalSection(path, store, gatewayId, extra) {
  const lines = [`  path: ${path}`];
  if (store) {
    lines.push(
      `  store: ${store.url}`,
      `  store_password: \${BENCH_STORE_PASSWORD}`,
      `  gateway_id: ${gatewayId}`,
    );
  }
  if (extra) lines.push(extra);
  return lines.join('\n');
}

/**
 * Starts a gateway. `connections` are `{ name, protocol, server }` where `server` comes from
 * servers.mjs; resolves with the listening ports, the account's secret and the child's pid.
 * `nodeArgs` go to node before the CLI (the profiler's `--cpu-prof`, for one); `checkout` is
 * the built Sluice to run, this one unless another is compared with it. On a shared `store`
 * (migrated beforehand) the account is created there unless `secret` says it already is;
 * `admin` adds the admin API on a port of its own (`ports.admin`), for a balancer's checks;
 * `beforeStart({ config, env })` runs once the configuration is written (a store's migration).
 */
export async function startSluice({
  label,
  connections,
  policy,
  nodeArgs = [],
  checkout = ROOT,
  journalYaml = '',
  store,
  gatewayId = label,
  admin = false,
  secret: sharedSecret,
  beforeStart,
}) {
  const cli = join(checkout, CLI);
  const dir = scratchDir(`sluice-bench-${label}-`);
  const journal = join(dir, 'journal.db');
  const ports = {};
  for (const connection of connections) ports[connection.name] = await freePort();
  if (admin) ports.admin = await freePort();
  const config = join(dir, 'sluice.yaml');
  writeFileSync(
    config,
    `journal:
${journalSection(journal, store, gatewayId, journalYaml)}
${admin ? `admin:\n  listen: 127.0.0.1:${ports.admin}\n` : ''}connections:
${connections.map((connection) => connectionYaml(connection, ports[connection.name])).join('\n')}
policies:
  bench:
${policy}
`,
  );
  const env = { ...process.env, BENCH_STORE_PASSWORD: store?.password ?? '' };
  for (const connection of connections) {
    env[`BENCH_UPSTREAM_${connection.name.toUpperCase()}`] = connection.server.password;
  }
  await beforeStart?.({ config, env });
  // With a store the account goes through the configuration, so that it lands in the store.
  const where = store ? ['--config', config] : ['--journal', journal];
  const secret =
    sharedSecret ??
    JSON.parse((await run('node', [cli, 'agents', 'add', ACCOUNT, ...where, '--json'], { env })).stdout)
      .secret;
  const child = spawnDaemon('node', [...nodeArgs, cli, 'start', '--config', config, '--log-level', 'warn'], {
    env,
  });
  for (const port of Object.values(ports)) {
    await waitForPort(port, child, `sluice (${label})`).catch((error) => {
      throw new Error(`${error.message}\n${child.errorTail()}`);
    });
  }
  return { label, gatewayId, pid: child.pid, child, ports, secret, journal, user: ACCOUNT };
}
