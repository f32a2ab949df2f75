import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * A TCP relay in front of a real database server, so a test can take the server away (close the
 * port, cut every connection abruptly) and bring it back on the same port.
 */
export interface TcpProxy {
  readonly port: number;
  /** Connections relayed right now. */
  readonly open: number;
  /** Stops accepting: the port is closed, connecting is refused. Relayed connections stay. */
  stop(): Promise<void>;
  /** Accepts again on the same port. */
  resume(): Promise<void>;
  /** Destroys both sides of every relayed connection, as a server that died would. */
  cutAll(): void;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const accept = (client: Socket): void => {
    const server = tcpConnect(target.port, target.host);
    const pair: [Socket, Socket] = [client, server];
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
    client.pipe(server);
    server.pipe(client);
  };
  let server = createServer(accept);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);
  // close() stops listening at once; its callback would wait for the relayed connections too.
  const close = (s: Server): Promise<void> =>
    new Promise((resolve) => {
      s.close();
      setImmediate(resolve);
    });
  return {
    port,
    get open() {
      return pairs.size;
    },
    async stop() {
      await close(server);
    },
    async resume() {
      server = createServer(accept);
      await listen(port);
    },
    cutAll() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
  };
}
