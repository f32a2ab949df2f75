import type { Socket } from 'node:net';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import type { GatewayProcess } from './gateway-process.js';
import type { Protocol, ScaleCluster } from './scale-cluster.js';

/** A client of either protocol, as the scenarios use it: one statement, one value back. */
export interface AgentClient {
  readonly protocol: Protocol;
  /** Runs a statement and resolves with the first column of the first row, as text. */
  value(sql: string): Promise<string>;
  /** Runs a statement and resolves with the number of rows it changed. */
  execute(sql: string): Promise<number>;
  /** The local port of the client's socket, which HAProxy sees as its source port. */
  readonly localPort: number;
  /** Resolves with the time the connection ended, however it ended. */
  readonly ended: Promise<number>;
  close(): Promise<void>;
}

export const PROTOCOLS: readonly Protocol[] = ['postgres', 'mysql'];

/** Connects as `user` through HAProxy, or straight to `gateway` when one is given. */
export async function connectAgent(
  cluster: ScaleCluster,
  protocol: Protocol,
  user: string,
  secret: string,
  gateway?: GatewayProcess,
): Promise<AgentClient> {
  return protocol === 'postgres'
    ? postgresAgent(await cluster.postgresClient(user, secret, gateway?.ports.postgres))
    : mysqlAgent(await cluster.mysqlConnection(user, secret, gateway?.ports.mysql));
}

function postgresAgent(client: pg.Client): AgentClient {
  // node-postgres keeps its socket on the connection; its types do not say so.
  const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
  const ended = new Promise<number>((resolve) => {
    client.on('error', () => resolve(Date.now()));
    client.on('end', () => resolve(Date.now()));
  });
  return {
    protocol: 'postgres',
    localPort: socket.localPort ?? 0,
    ended,
    async value(sql) {
      const result = await client.query({ text: sql, rowMode: 'array' });
      return String((result.rows[0] as unknown[] | undefined)?.[0]);
    },
    async execute(sql) {
      return (await client.query(sql)).rowCount ?? 0;
    },
    close: () => closeWithin(client.end(), socket),
  };
}

function mysqlAgent(connection: mysql.Connection): AgentClient {
  const socket = (connection as unknown as { connection: { stream: Socket } }).connection.stream;
  const ended = new Promise<number>((resolve) => {
    connection.on('error', () => resolve(Date.now()));
    socket.once('close', () => resolve(Date.now()));
  });
  return {
    protocol: 'mysql',
    localPort: socket.localPort ?? 0,
    ended,
    async value(sql) {
      const [rows] = await connection.query({ sql, rowsAsArray: true });
      return String((rows as unknown[][])[0]?.[0]);
    },
    async execute(sql) {
      const [result] = await connection.query<mysql.ResultSetHeader>(sql);
      return result.affectedRows;
    },
    close: () => closeWithin(connection.end(), socket),
  };
}

/** Opens clients through HAProxy until each gateway serves one of them; returns one per gateway. */
export async function clientsOnBoth(
  cluster: ScaleCluster,
  protocol: Protocol,
  user: string,
  secret: string,
): Promise<Map<string, AgentClient>> {
  const byGateway = new Map<string, AgentClient>();
  for (let opened = 0; byGateway.size < cluster.gateways.length; opened++) {
    if (opened === 4 * cluster.gateways.length)
      throw new Error('HAProxy kept sending clients to one gateway');
    const client = await connectAgent(cluster, protocol, user, secret);
    const gateway = await servedBy(cluster, client);
    if (byGateway.has(gateway)) await client.close();
    else byGateway.set(gateway, client);
  }
  return byGateway;
}

/** The gateway HAProxy sent a client's connection to, from its `show sess`. */
export async function servedBy(cluster: ScaleCluster, client: AgentClient): Promise<string> {
  const session = (await cluster.haproxy.sessions()).find(
    (candidate) => candidate.clientPort === client.localPort && candidate.frontend === client.protocol,
  );
  if (!session?.server)
    throw new Error(`HAProxy lists no ${client.protocol} session from port ${client.localPort}`);
  return session.server;
}

/** A polite end, or after a second (a connection a gateway's death left hanging) the socket destroyed. */
async function closeWithin(ending: Promise<unknown>, socket: Socket): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  await Promise.race([ending.catch(() => undefined), timeout]);
  clearTimeout(timer);
  socket.destroy();
}
