import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { haproxyConfig } from '../src/haproxy-config.js';
import { type RunningHaproxy, startHaproxy } from '../src/index.js';

type Frontend = 'alpha' | 'beta';

/** A stand-in for a gateway: a TCP port per frontend that greets with its name, and a health endpoint. */
interface FakeServer {
  readonly name: string;
  readonly ports: Record<Frontend, number>;
  readonly healthPort: number;
  healthStatus: number;
  readonly listeners: Record<Frontend, Server>;
  readonly health: HttpServer;
}

async function listen(server: Server | HttpServer, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function greeter(name: string, frontend: Frontend): Server {
  return createServer((socket) => {
    socket.on('error', () => undefined);
    socket.write(`${name} ${frontend}\n`);
    socket.pipe(socket);
  });
}

async function fakeServer(name: string): Promise<FakeServer> {
  const listeners = { alpha: greeter(name, 'alpha'), beta: greeter(name, 'beta') };
  const server: FakeServer = {
    name,
    ports: { alpha: await listen(listeners.alpha), beta: await listen(listeners.beta) },
    healthPort: 0,
    healthStatus: 200,
    listeners,
    health: createHttpServer((request, response) => {
      response.statusCode = request.url === '/readyz' ? server.healthStatus : 404;
      response.end();
    }),
  };
  return Object.assign(server, { healthPort: await listen(server.health) });
}

/** Connects, reads the greeting line and keeps the socket open. */
async function greeting(port: number): Promise<{ socket: Socket; line: string }> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let text = '';
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', function onData(chunk: string) {
      text += chunk;
      if (!text.includes('\n')) return;
      socket.off('data', onData);
      resolve({ socket, line: text.trimEnd() });
    });
  });
}

async function greetedBy(port: number): Promise<string> {
  const { socket, line } = await greeting(port);
  socket.destroy();
  return line.split(' ')[0] ?? '';
}

async function statuses(haproxy: RunningHaproxy<Frontend>): Promise<string[]> {
  return (await haproxy.servers()).map((state) => `${state.backend}/${state.server} ${state.status}`);
}

let a: FakeServer;
let b: FakeServer;
let haproxy: RunningHaproxy<Frontend>;

beforeAll(async () => {
  a = await fakeServer('srv-a');
  b = await fakeServer('srv-b');
  haproxy = await startHaproxy<Frontend>({ frontends: ['alpha', 'beta'], servers: [a, b] });
});

afterAll(async () => {
  await haproxy?.stop();
  for (const server of [a, b]) {
    server?.listeners.alpha.close();
    server?.listeners.beta.close();
    server?.health.close();
  }
});

describe('startHaproxy', () => {
  it('listens on a port per frontend and sends new connections to each server in turn', async () => {
    expect(haproxy.ports.alpha).not.toBe(haproxy.ports.beta);
    const alpha = [];
    for (let i = 0; i < 4; i++) alpha.push(await greetedBy(haproxy.ports.alpha));
    expect(new Set(alpha)).toEqual(new Set(['srv-a', 'srv-b']));
    expect(alpha[0]).not.toBe(alpha[1]);
    expect(alpha[2]).toBe(alpha[0]);
    const { socket, line } = await greeting(haproxy.ports.beta);
    socket.destroy();
    expect(line).toMatch(/^srv-[ab] beta$/);
  });

  it('reports every server in service and the server of each open connection', async () => {
    // `UP 1/2` until a server's first check has passed.
    await vi.waitFor(
      async () =>
        expect(await statuses(haproxy)).toEqual([
          'alpha/srv-a UP',
          'alpha/srv-b UP',
          'beta/srv-a UP',
          'beta/srv-b UP',
        ]),
      { timeout: 3000, interval: 50 },
    );
    const { socket, line } = await greeting(haproxy.ports.beta);
    const sessions = await haproxy.sessions();
    expect(sessions).toContainEqual({
      frontend: 'beta',
      clientAddress: '127.0.0.1',
      clientPort: socket.localPort,
      server: line.split(' ')[0],
    });
    expect((await haproxy.servers()).reduce((open, state) => open + state.sessions, 0)).toBe(1);
    socket.destroy();
  });

  it('takes a server out of every frontend once its health endpoint fails, keeping its open connections', async () => {
    const open = await greetingFrom(haproxy.ports.alpha, 'srv-b');
    b.healthStatus = 503;
    const failedAt = Date.now();
    await vi.waitFor(
      async () =>
        expect(await statuses(haproxy)).toEqual(
          expect.arrayContaining(['alpha/srv-b DOWN', 'beta/srv-b DOWN']),
        ),
      { timeout: 3000, interval: 50 },
    );
    // Two checks 200 ms apart: out of service within about half a second.
    expect(Date.now() - failedAt).toBeLessThan(2000);
    for (let i = 0; i < 3; i++) expect(await greetedBy(haproxy.ports.beta)).toBe('srv-a');
    open.write('still here\n');
    await expect(nextLine(open)).resolves.toBe('still here');
    open.destroy();

    b.healthStatus = 200;
    await vi.waitFor(
      async () => expect(await statuses(haproxy)).not.toContainEqual(expect.stringMatching(/DOWN/)),
      {
        timeout: 3000,
        interval: 50,
      },
    );
    const back = new Set([await greetedBy(haproxy.ports.alpha), await greetedBy(haproxy.ports.alpha)]);
    expect(back).toEqual(new Set(['srv-a', 'srv-b']));
  });

  it('sends a connection a server refuses to another server before checks take the first out', async () => {
    b.listeners.alpha.close();
    try {
      for (let i = 0; i < 4; i++) expect(await greetedBy(haproxy.ports.alpha)).toBe('srv-a');
    } finally {
      b.listeners.alpha = greeter('srv-b', 'alpha');
      await listen(b.listeners.alpha, b.ports.alpha);
    }
  });

  it('writes its configuration in its directory and stops, closing its ports, twice safely', async () => {
    const other = await startHaproxy<Frontend>({ frontends: ['alpha'], servers: [a], balance: 'leastconn' });
    const config = readFileSync(join(other.dir, 'haproxy.cfg'), 'utf8');
    expect(config).toContain('balance leastconn');
    expect(config).toContain(`server srv-a 127.0.0.1:${a.ports.alpha} check port ${a.healthPort}`);
    expect(await greetedBy(other.ports.alpha)).toBe('srv-a');
    await other.stop();
    await other.stop();
    expect(existsSync(other.dir)).toBe(false);
    await expect(greetedBy(other.ports.alpha)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('haproxyConfig', () => {
  const input = {
    frontends: ['postgres', 'mysql'] as const,
    servers: [{ name: 'gw-a', ports: { postgres: 6432, mysql: 3307 }, healthPort: 7070 }],
    listenPorts: { postgres: 16432, mysql: 13307 },
    statsSocket: '/tmp/x/stats.sock',
    balance: 'roundrobin' as const,
    healthPath: '/readyz',
    checkIntervalMs: 200,
    sendProxy: undefined,
    sourceAddress: undefined,
  };

  it('checks each server once, in the first backend, and tracks that check in the others', () => {
    const config = haproxyConfig(input);
    expect(config).toContain('option httpchk GET /readyz\n  http-check expect status 200');
    expect(config).toContain('default-server inter 200ms fall 2 rise 2');
    expect(config).toContain('server gw-a 127.0.0.1:6432 check port 7070');
    expect(config).toContain('server gw-a 127.0.0.1:3307 track postgres/gw-a');
    expect(config).not.toContain('shutdown-sessions');
  });

  it('names each client to the servers in a PROXY header when asked, and checks only servers with a health port', () => {
    const config = haproxyConfig({
      ...input,
      sendProxy: 'v2',
      servers: [{ name: 'gw-b', ports: { postgres: 6432, mysql: 3307 }, healthPort: undefined }],
    });
    expect(config).toContain('server gw-b 127.0.0.1:6432 send-proxy-v2\n');
    expect(config).toContain('server gw-b 127.0.0.1:3307 send-proxy-v2\n');
    expect(config).not.toContain('check port');
    expect(haproxyConfig({ ...input, sendProxy: 'v1' })).toContain(
      'server gw-a 127.0.0.1:6432 check port 7070 send-proxy\n',
    );
    expect(haproxyConfig(input)).not.toContain('send-proxy');
  });

  it('connects to the servers from the source address it is given, and only an IP address', () => {
    const config = haproxyConfig({ ...input, sourceAddress: '127.0.0.2' });
    expect(config.match(/^ {2}source 127\.0\.0\.2$/gm)).toHaveLength(2);
    expect(haproxyConfig(input)).not.toContain('source');
    expect(() => haproxyConfig({ ...input, sourceAddress: 'gw-a' })).toThrow(/not an IP address/);
  });

  it('refuses names and paths HAProxy would misread', () => {
    expect(() => haproxyConfig({ ...input, frontends: ['my sql'] as never })).toThrow(/not a usable name/);
    expect(() => haproxyConfig({ ...input, healthPath: '/ready z' })).toThrow(/health path/);
    expect(() => haproxyConfig({ ...input, servers: [] })).toThrow(/at least one server/);
  });
});

async function greetingFrom(port: number, server: string): Promise<Socket> {
  for (let i = 0; i < 4; i++) {
    const { socket, line } = await greeting(port);
    if (line.startsWith(`${server} `)) return socket;
    socket.destroy();
  }
  throw new Error(`no connection reached ${server}`);
}

function nextLine(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', function onData(chunk: string) {
      text += chunk;
      if (!text.includes('\n')) return;
      socket.off('data', onData);
      resolve(text.trimEnd());
    });
  });
}
