// HAProxy in TCP mode in front of several gateways: one frontend per listener, least-connections
// balancing (sessions are long-lived), and each gateway's admin API `/readyz` as the health check.
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, sleep, spawnDaemon, waitForPort } from './processes.mjs';
import { scratchDir } from './servers.mjs';

/** `services`: `{ name, servers: [{ name, port, checkPort }] }`, one per listener balanced. */
function configText(services, ports, statsSocket) {
  const sections = services.map(
    (service) => `
frontend ${service.name}
  bind 127.0.0.1:${ports[service.name]}
  default_backend ${service.name}-gateways

backend ${service.name}-gateways
  balance leastconn
  option httpchk GET /readyz
  http-check expect status 200
${service.servers.map((server) => `  server ${server.name} 127.0.0.1:${server.port} check port ${server.checkPort} inter 1s fall 2 rise 1`).join('\n')}
`,
  );
  return `global
  maxconn 4096
  stats socket ${statsSocket} mode 600 level admin

defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
  timeout check 2s
${sections.join('')}`;
}

/** Runs one command on HAProxy's stats socket and resolves with its answer. */
function statsCommand(socketPath, command) {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.once('error', reject);
    socket.once('end', () => resolve(answer));
    socket.once('connect', () => socket.end(`${command}\n`));
  });
}

/** `show stat` as objects (CSV with a `# ` header), the servers' rows only. */
async function serverRows(socketPath) {
  const lines = (await statsCommand(socketPath, 'show stat')).trim().split('\n');
  const header = lines[0].replace(/^# /, '').split(',');
  return lines
    .slice(1)
    .map((line) => Object.fromEntries(line.split(',').map((value, index) => [header[index], value])))
    .filter((row) => !['FRONTEND', 'BACKEND'].includes(row.svname));
}

/**
 * The servers whose last health check has not passed. A server counts as UP before its first
 * check, so the check's own result (L7OK) is what says the gateway answered GET /readyz with 200.
 */
async function serversNotPassing(socketPath) {
  return (await serverRows(socketPath))
    .filter((row) => row.status !== 'UP' || row.check_status !== 'L7OK')
    .map((row) => `${row.pxname}/${row.svname} ${row.status} ${row.check_status}`);
}

/**
 * Per gateway: the sessions HAProxy sent it so far and the times its health check took it out
 * of the balance (`stot`, `chkdown`), summed over the backends it serves.
 */
async function gatewayCounters(socketPath) {
  const counters = {};
  for (const row of await serverRows(socketPath)) {
    const { sessions = 0, downs = 0 } = counters[row.svname] ?? {};
    counters[row.svname] = { sessions: sessions + Number(row.stot), downs: downs + Number(row.chkdown) };
  }
  return counters;
}

/** Debian's haproxy is in /usr/sbin, which is not on every user's PATH. */
function haproxyProgram() {
  if (existsSync('/usr/sbin/haproxy')) return '/usr/sbin/haproxy';
  const onPath = (process.env.PATH ?? '').split(':').some((dir) => existsSync(join(dir, 'haproxy')));
  if (!onPath) throw new Error('haproxy is not installed: run `bash scripts/ensure-haproxy.sh` as root');
  return 'haproxy';
}

/**
 * Starts HAProxy in the foreground as a child (stopped with the rest) and resolves once every
 * gateway has passed its health check; `ports[name]` is where each service is balanced.
 */
export async function startHaproxy({ label, services }) {
  const dir = scratchDir(`sluice-bench-haproxy-${label}-`);
  const ports = {};
  for (const service of services) ports[service.name] = await freePort();
  const statsSocket = join(dir, 'stats.sock');
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, configText(services, ports, statsSocket));
  // -db: stay in the foreground, so the child is HAProxy itself and SIGTERM stops it.
  const child = spawnDaemon(haproxyProgram(), ['-db', '-f', config]);
  const fail = (message) => new Error(`haproxy (${label}): ${message}\n${child.errorTail()}`);
  for (const port of Object.values(ports)) {
    await waitForPort(port, child, `haproxy (${label})`).catch((error) => {
      throw fail(error.message);
    });
  }
  let down = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    down = await serversNotPassing(statsSocket);
    if (down.length === 0) {
      return { pid: child.pid, ports, counters: () => gatewayCounters(statsSocket) };
    }
    await sleep(100);
  }
  throw fail(`gateways not passing GET /readyz within 10 s: ${down.join(', ')}`);
}
