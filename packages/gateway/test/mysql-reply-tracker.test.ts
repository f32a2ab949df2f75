import { Capability, type Packet, PacketSplitter } from '@sluice/wire-mysql';
import { describe, expect, it } from 'vitest';
import { type Expected, MysqlReplyTracker } from '../src/mysql/reply-tracker.js';
import { type ResponseEvent, ResponseReader, type ResponseShape } from '../src/mysql/response-reader.js';
import { rowsOf, type StatementRun } from '../src/postgres/reply-tracker.js';
import {
  binaryRow,
  columnCount,
  columnDefinition,
  eof,
  err,
  localInfileRequest,
  ok,
  packet,
  prepareOk,
  SERVER_MORE_RESULTS_EXISTS,
  SERVER_STATUS_CURSOR_EXISTS,
  textRow,
} from './support/mysql-bytes.js';

const CLASSIC = Capability.protocol41 | Capability.multiResults;
const DEPRECATE_EOF = CLASSIC | Capability.deprecateEof;

function run(id: number): StatementRun {
  return { id, startedAt: 0n, dataRows: 0, taggedRows: null, error: null };
}

function forwarded(
  shape: ResponseShape,
  runs: StatementRun[],
  capabilities = CLASSIC,
  observe?: (event: ResponseEvent) => void,
): Expected {
  return {
    observe,
    kind: 'forwarded',
    reader: new ResponseReader(shape, { capabilities, mariadbCapabilities: 0 }),
    runs,
    current: 0,
    leaveRunsOpen: false,
    refusedInfileAt: null,
    interruption: null,
    sequenceShift: 0,
  };
}

/**
 * Feeds the server's bytes to a tracker split at `cut`, as two network chunks would arrive, and
 * returns what it sent each way and which runs it completed.
 */
function replay(expected: readonly Expected[], serverBytes: Buffer, cut: number) {
  const toClient: Buffer[] = [];
  const toServer: Buffer[] = [];
  const completed: StatementRun[] = [];
  const statuses: (number | null)[] = [];
  const tracker = new MysqlReplyTracker({
    complete: (r) => completed.push(r),
    commandDone: (status) => statuses.push(status),
    toClient: (bytes) => toClient.push(Buffer.from(bytes)),
    toServer: (bytes) => toServer.push(Buffer.from(bytes)),
  });
  for (const entry of expected) tracker.expect(entry);
  const splitter = new PacketSplitter({ maxPacketBytes: 1 << 20 });
  const onPacket = (p: Packet): void => tracker.onServerPacket(p);
  splitter.push(serverBytes.subarray(0, cut), onPacket);
  splitter.push(serverBytes.subarray(cut), onPacket);
  return {
    toClient: Buffer.concat(toClient),
    toServer: Buffer.concat(toServer),
    completed,
    statuses,
    tracker,
  };
}

/** Runs `check` for the reply split at every offset. */
function atEverySplit(bytes: Buffer, check: (cut: number) => void): void {
  for (let cut = 0; cut <= bytes.length; cut++) check(cut);
}

describe('MysqlReplyTracker', () => {
  it('relays a text result set byte for byte and counts its rows', () => {
    const reply = Buffer.concat([
      packet(1, columnCount(1)),
      packet(2, columnDefinition('a')),
      packet(3, eof()),
      packet(4, textRow('x')),
      packet(5, textRow('y')),
      packet(6, eof()),
    ]);
    atEverySplit(reply, (cut) => {
      const a = run(1);
      const result = replay([forwarded({ kind: 'results', cursorRequested: false }, [a])], reply, cut);
      expect(result.toClient.equals(reply)).toBe(true);
      expect(result.completed).toEqual([a]);
      expect(rowsOf(a)).toBe(2);
      expect(result.tracker.idle).toBe(true);
    });
  });

  it('attributes each result of a multi-statement string to its statement, with CLIENT_DEPRECATE_EOF', () => {
    const reply = Buffer.concat([
      packet(1, ok(3, SERVER_MORE_RESULTS_EXISTS)),
      packet(2, columnCount(1)),
      packet(3, columnDefinition('a')),
      packet(4, textRow('x')),
      packet(5, ok(0, SERVER_MORE_RESULTS_EXISTS, 0xfe)),
      packet(6, ok(1)),
    ]);
    atEverySplit(reply, (cut) => {
      const runs = [run(1), run(2), run(3)];
      const result = replay(
        [forwarded({ kind: 'results', cursorRequested: false }, runs, DEPRECATE_EOF)],
        reply,
        cut,
      );
      expect(result.toClient.equals(reply)).toBe(true);
      expect(runs.map(rowsOf)).toEqual([3, 1, 1]);
      expect(result.completed).toEqual(runs);
    });
  });

  it('records an error on the failing statement and marks the rest as not run', () => {
    const reply = Buffer.concat([
      packet(1, ok(1, SERVER_MORE_RESULTS_EXISTS)),
      packet(2, err(1146, '42S02', "Table 'app.t' doesn't exist")),
    ]);
    const runs = [run(1), run(2), run(3)];
    const result = replay([forwarded({ kind: 'results', cursorRequested: false }, runs)], reply, 3);
    expect(runs.map((r) => r.error)).toEqual([
      null,
      "Table 'app.t' doesn't exist",
      'not executed: an earlier statement of the query failed',
    ]);
    expect(result.completed).toEqual(runs);
  });

  it('sends a refusal only after the replies of the commands before it', () => {
    const refusal = packet(1, err(1227, '42000', 'sluice: blocked by guardrail:ddl: no'));
    const reply = Buffer.concat([
      packet(1, columnCount(1)),
      packet(2, columnDefinition('a')),
      packet(3, eof()),
    ]);
    const rows = Buffer.concat([packet(4, textRow('x')), packet(5, eof())]);
    const a = run(1);
    const result = replay(
      [forwarded({ kind: 'results', cursorRequested: false }, [a]), { kind: 'local', bytes: refusal }],
      Buffer.concat([reply, rows]),
      reply.length,
    );
    expect(result.toClient.equals(Buffer.concat([reply, rows, refusal]))).toBe(true);
  });

  it('follows a prepared statement reply and its parameter and column definitions', () => {
    const reply = Buffer.concat([
      packet(1, prepareOk(7, 1, 2)),
      packet(2, columnDefinition('?')),
      packet(3, columnDefinition('?')),
      packet(4, eof()),
      packet(5, columnDefinition('a')),
      packet(6, eof()),
    ]);
    atEverySplit(reply, (cut) => {
      const events: unknown[] = [];
      const observed = forwarded({ kind: 'prepare' }, [], CLASSIC, (event) => events.push(event));
      const result = replay([observed], reply, cut);
      expect(events[0]).toEqual({ kind: 'prepared', statementId: 7, parameterCount: 2 });
      expect(result.tracker.idle).toBe(true);
    });
  });

  it('keeps a cursor run open when COM_STMT_EXECUTE opens a cursor', () => {
    const reply = Buffer.concat([
      packet(1, columnCount(1)),
      packet(2, columnDefinition('a')),
      packet(3, eof(SERVER_STATUS_CURSOR_EXISTS)),
    ]);
    const a = run(1);
    const result = replay([forwarded({ kind: 'results', cursorRequested: true }, [a])], reply, 5);
    expect(result.completed).toEqual([]);
    expect(result.tracker.idle).toBe(true);
    const fetched = Buffer.concat([packet(1, binaryRow('x')), packet(2, eof(0x80))]);
    expect(replay([forwarded({ kind: 'fetch' }, [])], fetched, 2).toClient.equals(fetched)).toBe(true);
  });

  it('refuses a LOCAL INFILE request: the server gets an empty file, the client one error', () => {
    const reply = Buffer.concat([packet(1, localInfileRequest('/etc/passwd')), packet(3, ok(0))]);
    atEverySplit(reply, (cut) => {
      const a = run(1);
      const result = replay([forwarded({ kind: 'results', cursorRequested: false }, [a])], reply, cut);
      expect(result.toServer.equals(packet(2, []))).toBe(true);
      expect(result.toClient[3]).toBe(1);
      expect(result.toClient[4]).toBe(0xff);
      expect(result.toClient.subarray(13).toString()).toBe(
        'sluice: LOAD DATA LOCAL INFILE is not supported through Sluice',
      );
      expect(a.error).toBe('sluice: LOAD DATA LOCAL INFILE is not supported through Sluice');
    });
  });

  it('passes on a packet the server sends unasked (a killed connection) and reports status flags', () => {
    const killed = packet(0, err(1927, '70100', 'Connection was killed'));
    const result = replay([], killed, 0);
    expect(result.toClient.equals(killed)).toBe(true);
    const status = replay([forwarded({ kind: 'status' }, [])], packet(1, ok(0, 0x8002)), 2);
    expect(status.statuses).toEqual([0x8002]);
  });
});
