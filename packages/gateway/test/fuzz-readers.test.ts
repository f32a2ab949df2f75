import { connect, createServer, type Server, Socket } from 'node:net';
import { chunked, mutatedFrom, mysqlPacket, pgStartup, pgTyped } from '@sluice/testkit';
import { MysqlWireError } from '@sluice/wire-mysql';
import { WireError } from '@sluice/wire-postgres';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionClosedError, FrameReader, HandshakeTimeoutError } from '../src/frame-reader.js';
import { readFirstPacket } from '../src/mysql/first-packet.js';
import { PacketReader } from '../src/mysql/packet-reader.js';

// The gateway's own pull-style readers for the handshake phases, fed mutated client bytes through
// real loopback sockets. Each may only deliver frames within its limits, or fail with the wire
// package's error, a closed connection or a timeout; fast-check's per-run timeout bounds hangs.
const SEED = 0x51c3;
const RUNS = 150;

let server: Server;
const accepted: ((socket: Socket) => void)[] = [];
beforeAll(async () => {
  server = createServer((socket) => accepted.shift()?.(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A connected pair: the gateway's side, and a client that writes `chunks` and then ends. */
async function clientSending(chunks: readonly Buffer[]): Promise<Socket> {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const serverSide = new Promise<Socket>((resolve) => accepted.push(resolve));
  const client = connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  client.once('connect', () => {
    for (const chunk of chunks) client.write(chunk);
    client.end();
  });
  const socket = await serverSide;
  socket.on('error', () => undefined);
  return socket;
}

function expectedFailure(error: unknown, wireError: new (...args: never[]) => Error): void {
  const known =
    error instanceof wireError ||
    error instanceof ConnectionClosedError ||
    error instanceof HandshakeTimeoutError;
  if (!known) throw new Error(`untyped failure: ${String(error)}`, { cause: error });
}

const cuts = fc.array(fc.nat(), { maxLength: 4 });

describe('handshake-phase readers on mutated client bytes', () => {
  it('FrameReader delivers frames within its limits or fails with WireError', async () => {
    const valid = [
      Buffer.concat([
        pgStartup('ci-bot', 'app'),
        pgTyped('p', Buffer.from('SCRAM-SHA-256\0'), Buffer.from([0, 0, 0, 3]), Buffer.from('n,,')),
      ]),
      Buffer.concat([Buffer.from([0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f]), pgStartup('ci-bot', 'app')]),
    ];
    await fc.assert(
      fc.asyncProperty(mutatedFrom(valid), cuts, async (bytes, offsets) => {
        const socket = await clientSending(chunked(bytes, offsets));
        const reader = new FrameReader(socket, {
          untyped: true,
          maxFrameBytes: 10_000,
          typedMaxFrameBytes: 65_536,
        });
        try {
          for (;;) {
            const frame = await reader.next(2000);
            expect(frame.bytes.length).toBeLessThanOrEqual(65_537);
          }
        } catch (error) {
          expectedFailure(error, WireError);
        } finally {
          reader.detach();
          socket.destroy();
        }
      }),
      { seed: SEED, numRuns: RUNS, timeout: 5000 },
    );
  });

  it('PacketReader delivers packets within its limit or fails with MysqlWireError', async () => {
    const valid = [
      mysqlPacket(1, Buffer.concat([Buffer.alloc(32, 1), Buffer.from('ci-bot\0')])),
      mysqlPacket(3, Buffer.alloc(20, 7)),
    ];
    await fc.assert(
      fc.asyncProperty(mutatedFrom(valid), cuts, async (bytes, offsets) => {
        const socket = await clientSending(chunked(bytes, offsets));
        const reader = new PacketReader(socket, 4096);
        try {
          for (;;) expect((await reader.next(2000)).payload.length).toBeLessThanOrEqual(4096);
        } catch (error) {
          expectedFailure(error, MysqlWireError);
        } finally {
          reader.detach();
          socket.destroy();
        }
      }),
      { seed: SEED, numRuns: RUNS, timeout: 5000 },
    );
  });

  it('readFirstPacket returns one packet within its limit or fails with MysqlWireError', async () => {
    const valid = [
      mysqlPacket(1, Buffer.concat([Buffer.alloc(32, 1), Buffer.from('ci-bot\0')])),
      mysqlPacket(1, Buffer.alloc(32, 8)),
    ];
    await fc.assert(
      fc.asyncProperty(mutatedFrom(valid), cuts, async (bytes, offsets) => {
        const socket = await clientSending(chunked(bytes, offsets));
        try {
          const packet = await readFirstPacket(socket, 4096, 2000);
          expect(packet.payload.length).toBeLessThanOrEqual(4096);
        } catch (error) {
          expectedFailure(error, MysqlWireError);
        } finally {
          socket.destroy();
        }
      }),
      { seed: SEED, numRuns: RUNS, timeout: 5000 },
    );
  });

  it('readFirstPacket reads a 64 KiB packet arriving a byte at a time in linear time', async () => {
    // Found while fuzzing: joining the bytes on every chunk cost 1.4 s of the event loop here,
    // for a client that never had to log in.
    const socket = new Socket();
    const payload = Buffer.alloc(64 * 1024 - 1, 0x61);
    const bytes = mysqlPacket(1, payload);
    const read = readFirstPacket(socket, 64 * 1024, 10_000);
    const started = performance.now();
    for (let at = 0; at < bytes.length; at += 1) socket.emit('data', bytes.subarray(at, at + 1));
    const packet = await read;
    expect(performance.now() - started).toBeLessThan(500);
    expect(packet.payload.equals(payload)).toBe(true);
    socket.destroy();
  });
});
