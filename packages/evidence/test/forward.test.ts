import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import { Journal } from '@sluice/journal';
import { freePort, scratchDir } from '@sluice/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { cursorPath, JournalForwarder } from '../src/index.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function journalWith(records: number): { path: string; journal: Journal; add: (n: number) => void } {
  const path = join(scratchDir('sluice-forward-'), 'journal.db');
  const journal = Journal.open(path);
  cleanups.push(() => journal.close());
  const add = (n: number) => {
    for (let index = 0; index < n; index += 1) {
      journal.recordStatement({
        sessionId: 's1',
        identity: 'ci-bot',
        groups: ['ci'],
        connection: 'orders',
        protocol: 'postgres',
        clientAddress: '127.0.0.1:1',
        text: `SELECT ${index}`,
        parameters: null,
        kind: 'select',
        tables: [],
        decision: index % 4 ? 'allowed' : 'blocked',
        rule: null,
        reason: null,
        approver: null,
        maskedColumns: [],
      });
    }
  };
  add(records);
  return { path, journal, add };
}

/** An HTTP receiver that takes JSON arrays of records; started and stopped at will on one port. */
function httpReceiver(port: number) {
  const seqs: number[] = [];
  let server: HttpServer | null = null;
  return {
    seqs,
    async start() {
      server = createHttpServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        request.on('end', () => {
          for (const record of JSON.parse(body) as { seq: number }[]) seqs.push(record.seq);
          response.end('ok');
        });
      });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      cleanups.push(() => server?.close());
    },
    stop() {
      server?.closeAllConnections();
      server?.close();
    },
  };
}

/** A syslog receiver over TCP that splits octet-counted frames. */
async function syslogReceiver(port: number): Promise<{ messages: string[]; server: TcpServer }> {
  const messages: string[] = [];
  const server = createTcpServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) return;
        const length = Number(buffer.subarray(0, space).toString());
        if (buffer.length < space + 1 + length) return;
        messages.push(buffer.subarray(space + 1, space + 1 + length).toString());
        buffer = buffer.subarray(space + 1 + length);
      }
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => server.close());
  return { messages, server };
}

const until = (check: () => boolean) => expect.poll(check, { timeout: 10_000, interval: 20 }).toBe(true);

describe('journal forwarding', () => {
  it('delivers everything once to an HTTP receiver that was down and came back, and persists its cursor', async () => {
    const { path, add } = journalWith(30);
    const port = await freePort();
    const target = { url: `http://127.0.0.1:${port}/ingest`, secret: undefined, ca: undefined };
    const failures: unknown[] = [];
    const forwarder = new JournalForwarder(path, target, {
      pollMs: 20,
      maxBackoffMs: 100,
      batchSize: 7,
      onState: (s) => {
        if (!s.ok) failures.push(s.error);
      },
    });
    cleanups.push(() => forwarder.stop());
    forwarder.start();
    await until(() => failures.length >= 3);
    add(20);
    const receiver = httpReceiver(port);
    await receiver.start();
    await until(() => receiver.seqs.length >= 50);
    expect(receiver.seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));

    receiver.stop();
    add(5);
    await new Promise((resolve) => setTimeout(resolve, 150));
    forwarder.stop();
    expect(forwarder.delivered).toBe(50);
    const again = httpReceiver(port);
    await again.start();
    const resumed = new JournalForwarder(path, target, { pollMs: 20 });
    cleanups.push(() => resumed.stop());
    expect(resumed.delivered).toBe(50);
    resumed.start();
    await until(() => again.seqs.length >= 5);
    expect(again.seqs).toEqual([51, 52, 53, 54, 55]);
    expect(cursorPath(path, target.url)).toMatch(/journal\.db\.forward-[0-9a-f]{12}\.cursor$/);
  });

  it('sends RFC 5424 messages over TCP, octet-counted, after the receiver comes up', async () => {
    const { path } = journalWith(12);
    const port = await freePort();
    const forwarder = new JournalForwarder(
      path,
      { url: `syslog+tcp://127.0.0.1:${port}`, secret: undefined, ca: undefined },
      { pollMs: 20, maxBackoffMs: 100 },
    );
    cleanups.push(() => forwarder.stop());
    forwarder.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { messages } = await syslogReceiver(port);
    await until(() => messages.length >= 12);
    expect(messages).toHaveLength(12);
    expect(messages[0]).toMatch(
      /^<84>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ sluice \d+ statement \[sluice@32473 seq="1" hash="[0-9a-f]{64}" ref="s1"\] \{/,
    );
    expect(messages[1]).toMatch(/^<86>1 /);
    expect(JSON.parse(messages[11]?.slice(messages[11].indexOf('] ') + 2) ?? '')).toMatchObject({
      seq: 12,
      statement: 'SELECT 11',
    });
  });
});
