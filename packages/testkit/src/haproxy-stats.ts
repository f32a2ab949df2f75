import { connect } from 'node:net';

/** A server of one backend as HAProxy's `show stat` reports it. */
export interface HaproxyServerState {
  /** The backend, named after its frontend. */
  readonly backend: string;
  readonly server: string;
  /**
   * `UP`, `DOWN`, `UP 1/2` (a check failed, or none has passed yet since start), `DOWN 1/2`
   * (coming back up), `MAINT`, `no check`.
   */
  readonly status: string;
  /** Sessions open to the server now. */
  readonly sessions: number;
}

/** A client connection as HAProxy's `show sess` lists it, with the server it was sent to. */
export interface HaproxySession {
  readonly frontend: string;
  /** The client's address as HAProxy saw it: its `localAddress:localPort`. */
  readonly clientAddress: string;
  readonly clientPort: number;
  /** The server the connection went to; null while none is chosen yet. */
  readonly server: string | null;
}

/**
 * Sends one command to HAProxy's stats socket and resolves with the answer. Without
 * `prompt` mode HAProxy answers one command, then closes the connection.
 */
export function statsCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const chunks: Buffer[] = [];
    socket.once('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('close', (failed) => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The server rows of `show stat` CSV (`# pxname,svname,…` header), frontends and totals left out. */
export function parseShowStat(csv: string): HaproxyServerState[] {
  const [header, ...rows] = csv.split('\n').filter((line) => line.trim() !== '');
  if (!header?.startsWith('# '))
    throw new Error(`haproxy: unexpected \`show stat\` answer: ${csv.slice(0, 200)}`);
  const columns = header.slice(2).split(',');
  const column = (name: string): number => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`haproxy: \`show stat\` has no ${name} column`);
    return index;
  };
  const [backend, server, status, sessions] = ['pxname', 'svname', 'status', 'scur'].map(column) as [
    number,
    number,
    number,
    number,
  ];
  return rows
    .map((row) => row.split(','))
    .filter((fields) => fields[server] !== 'FRONTEND' && fields[server] !== 'BACKEND')
    .map((fields) => ({
      backend: fields[backend] ?? '',
      server: fields[server] ?? '',
      status: fields[status] ?? '',
      sessions: Number(fields[sessions]),
    }));
}

// One line per session: `0x…: proto=tcpv4 src=127.0.0.1:40000 fe=postgres be=postgres srv=gw-a ts=00 …`.
const SESSION_LINE = /\bproto=tcpv[46] src=(\S+):(\d+) fe=(\S+) be=\S+ srv=(\S+)/;

/** The client sessions of `show sess`; the stats socket's own session is left out. */
export function parseShowSess(text: string): HaproxySession[] {
  const sessions: HaproxySession[] = [];
  for (const line of text.split('\n')) {
    const match = SESSION_LINE.exec(line);
    if (!match) continue;
    const [, address = '', port = '', frontend = '', server = ''] = match;
    sessions.push({
      frontend,
      clientAddress: address,
      clientPort: Number(port),
      server: server === '<none>' ? null : server,
    });
  }
  return sessions;
}
