import { isIP } from 'node:net';

/** One backend server behind every frontend: a gateway, say, with a port per protocol. */
export interface HaproxyServer<F extends string> {
  /** The server's name in the config, the stats and `show sess` (letters, digits, `-`, `_`, `.`). */
  readonly name: string;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** The port this server listens on for each frontend. */
  readonly ports: Readonly<Record<F, number>>;
  /** The port of its HTTP health endpoint (a gateway's admin listener); unchecked without one. */
  readonly healthPort: number | undefined;
}

/** A PROXY protocol header naming the client before its bytes (`send-proxy`, `send-proxy-v2`). */
export type HaproxySendProxy = 'v1' | 'v2';

export type HaproxyBalance = 'roundrobin' | 'leastconn';

export interface HaproxyConfigInput<F extends string> {
  readonly frontends: readonly F[];
  readonly servers: readonly HaproxyServer<F>[];
  /** Where each frontend listens on 127.0.0.1. */
  readonly listenPorts: Readonly<Record<F, number>>;
  readonly statsSocket: string;
  readonly balance: HaproxyBalance;
  /** Answers 200 while a server should take new connections, e.g. `/readyz`. */
  readonly healthPath: string;
  readonly checkIntervalMs: number;
  readonly sendProxy: HaproxySendProxy | undefined;
  /** The address HAProxy connects to servers from (`source`), such as 127.0.0.2; the OS picks by default. */
  readonly sourceAddress: string | undefined;
}

const NAME = /^[A-Za-z0-9._-]+$/;
const HTTP_PATH = /^\/[!-~]*$/;

/**
 * An haproxy.cfg with a TCP frontend and backend per protocol. The first backend checks each
 * server's health endpoint; the others `track` those checks, so each server is asked once per
 * interval however many protocols it serves, and all its ports leave service together.
 */
export function haproxyConfig<F extends string>(input: HaproxyConfigInput<F>): string {
  const checked = input.frontends[0];
  if (checked === undefined) throw new Error('haproxy: give at least one frontend');
  if (input.servers.length === 0) throw new Error('haproxy: give at least one server');
  if (input.sourceAddress !== undefined && !isIP(input.sourceAddress)) {
    throw new Error(`haproxy: source "${input.sourceAddress}" is not an IP address`);
  }
  for (const name of [...input.frontends, ...input.servers.map((server) => server.name)]) {
    if (!NAME.test(name)) throw new Error(`haproxy: "${name}" is not a usable name`);
  }
  if (!HTTP_PATH.test(input.healthPath)) {
    throw new Error(`haproxy: health path "${input.healthPath}" must start with / and hold no spaces`);
  }
  const lines = [
    'global',
    `  stats socket ${input.statsSocket} mode 600 level admin`,
    '  maxconn 4096',
    '',
    'defaults',
    '  mode tcp',
    '  timeout connect 2s',
    // Sessions are long and may sit idle while a statement waits for an approval.
    '  timeout client 1h',
    '  timeout server 1h',
    // A gateway's /readyz probes each upstream with a 1 s timeout of its own.
    '  timeout check 3s',
    // A connection refused by a server not yet marked down is tried again on another one.
    '  retries 3',
    '  option redispatch 1',
    '',
  ];
  for (const frontend of input.frontends) {
    lines.push(
      `frontend ${frontend}`,
      `  bind 127.0.0.1:${input.listenPorts[frontend]}`,
      `  default_backend ${frontend}`,
      '',
      `backend ${frontend}`,
      `  balance ${input.balance}`,
    );
    if (input.sourceAddress !== undefined) lines.push(`  source ${input.sourceAddress}`);
    if (frontend === checked) {
      lines.push(
        `  option httpchk GET ${input.healthPath}`,
        '  http-check expect status 200',
        `  default-server inter ${input.checkIntervalMs}ms fall 2 rise 2`,
      );
    }
    // No `on-marked-down shutdown-sessions`: a server that stops being ready (a gateway that
    // cannot reach an upstream, or whose journal disk is full) should get no new sessions, but
    // its open ones may still finish their transactions; one that dies ends them by itself.
    const proxy = { v1: ' send-proxy', v2: ' send-proxy-v2', none: '' }[input.sendProxy ?? 'none'];
    for (const server of input.servers) {
      const address = `${server.host ?? '127.0.0.1'}:${server.ports[frontend]}`;
      const health =
        server.healthPort === undefined
          ? ''
          : frontend === checked
            ? ` check port ${server.healthPort}`
            : ` track ${checked}/${server.name}`;
      lines.push(`  server ${server.name} ${address}${health}${proxy}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
