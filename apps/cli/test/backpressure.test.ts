import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { makeJwtIssuer, type ScratchPostgres, scratchDir, startPostgres } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startCli } from './support/cli.js';

const ROWS = 400_000;
const ROW_BYTES = 1000;

let pg: ScratchPostgres;
let gateway: RunningGateway;
let pid: number;
let port: number;
let token: string;

beforeAll(async () => {
  pg = await startPostgres();
  const dir = scratchDir('sluice-bp-');
  const issuer = await makeJwtIssuer();
  const config = join(dir, 'sluice.yaml');
  writeFileSync(
    config,
    `journal: { path: ${join(dir, 'journal.db')} }
identity:
  oidc:
    - { issuer: "${issuer.issuer}", audience: sluice, jwks_file: ${issuer.writeJwksFile(dir)} }
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${pg.roles.scram}@127.0.0.1:${pg.port}/${pg.database}
    upstream_password: ${pg.rolePassword}
`,
  );
  token = await issuer.sign({ sub: 'slow-reader' });
  gateway = await startCli(config, 1);
  port = gateway.ports.get('orders') ?? 0;
  pid = gateway.process.pid ?? 0;
});
afterAll(async () => {
  gateway?.process.kill('SIGKILL');
  await pg?.stop();
});

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** A minimal client: clear-text JWT login, one query, then reading only when told to. */
async function openSlowClient(): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const body = Buffer.from('user\0slow-reader\0database\0app\0\0');
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(8 + body.length, 0);
  startup.writeInt32BE(196608, 4);
  socket.write(Buffer.concat([startup, body]));
  await until(socket, (data) => data.includes(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])));
  const password = Buffer.from(`${token}\0`);
  const message = Buffer.alloc(5);
  message[0] = 0x70;
  message.writeInt32BE(4 + password.length, 1);
  socket.write(Buffer.concat([message, password]));
  await until(socket, (data) => data.includes(Buffer.from([0x5a, 0, 0, 0, 5])));
  return socket;
}

function until(socket: Socket, done: (data: Buffer) => boolean): Promise<void> {
  return new Promise((resolve) => {
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      if (!done(seen)) return;
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
  });
}

describe('back-pressure', () => {
  it('keeps the gateway memory flat while a slow client reads a 400 MB result', async () => {
    const socket = await openSlowClient();
    const baseline = rssMiB(pid);
    const sql = Buffer.from(`SELECT repeat('x', ${ROW_BYTES}) FROM generate_series(1, ${ROWS})\0`);
    const query = Buffer.alloc(5);
    query[0] = 0x51;
    query.writeInt32BE(4 + sql.length, 1);
    socket.pause();
    socket.write(Buffer.concat([query, sql]));

    // Reading nothing for two seconds: a buffering gateway would swallow the whole result now.
    let peak = baseline;
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      peak = Math.max(peak, rssMiB(pid));
    }
    let received = 0;
    const finished = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (chunk.includes(Buffer.from([0x5a, 0, 0, 0, 5, 0x49]))) resolve();
      });
    });
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB(pid));
    }, 50);
    // Read slowly: a little at a time, with pauses.
    const throttle = setInterval(() => (socket.isPaused() ? socket.resume() : socket.pause()), 5);
    await finished;
    clearInterval(sampler);
    clearInterval(throttle);
    socket.destroy();

    expect(received).toBeGreaterThan(ROWS * ROW_BYTES);
    expect(peak - baseline).toBeLessThan(64);
  }, 120_000);
});
