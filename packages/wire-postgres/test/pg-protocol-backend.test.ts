import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import { describe, expect, it } from 'vitest';
import { backend, errorMessage } from '../src/index.js';

/** pg-protocol's Parser (how node-postgres reads a server) as an independent reader of our encoders. */
function parseAll(chunks: readonly Buffer[]): Record<string, unknown>[] {
  const parser = new Parser();
  const messages: Record<string, unknown>[] = [];
  for (const chunk of chunks) {
    // The parser may compact a kept partial chunk in place: hand it copies, never our stream.
    parser.parse(Buffer.from(chunk), (message: BackendMessage) => {
      // An error's `message` is an own non-enumerable property of Error, lost by spreading.
      const copy: Record<string, unknown> =
        message instanceof Error ? { ...message, message: message.message } : { ...message };
      // The parser hands out views of its own buffer, which it reuses for the next chunk.
      for (const [key, value] of Object.entries(copy))
        if (Buffer.isBuffer(value)) copy[key] = Buffer.from(value);
      messages.push(copy);
    });
  }
  return messages;
}

const session = [
  backend.Authentication.encode({ kind: 'authentication-md5-password', salt: Buffer.from([1, 2, 3, 4]) }),
  backend.Authentication.encode({ kind: 'authentication-sasl', mechanisms: ['SCRAM-SHA-256'] }),
  backend.Authentication.encode({
    kind: 'authentication-sasl-continue',
    data: Buffer.from('r=ab,s=cw==,i=4096'),
  }),
  backend.Authentication.encode({ kind: 'authentication-sasl-final', data: Buffer.from('v=c2ln') }),
  backend.Authentication.encode({ kind: 'authentication-ok' }),
  backend.ParameterStatus.encode({ kind: 'parameter-status', name: 'server_version', value: '15.8' }),
  backend.BackendKeyData.encode({
    kind: 'backend-key-data',
    processId: 4321,
    secretKey: Buffer.from([0, 0, 1, 2]),
  }),
  backend.ReadyForQuery.encode({ kind: 'ready-for-query', status: 'I' }),
  backend.RowDescription.encode({
    kind: 'row-description',
    fields: [
      {
        name: 'id',
        tableOid: 16384,
        columnAttribute: 1,
        typeOid: 23,
        typeSize: 4,
        typeModifier: -1,
        format: 0,
      },
      { name: 'é', tableOid: 0, columnAttribute: 0, typeOid: 25, typeSize: -1, typeModifier: -1, format: 1 },
    ],
  }),
  backend.DataRow.encode({ kind: 'data-row', values: [Buffer.from('7'), null] }),
  backend.CommandComplete.encode({ kind: 'command-complete', tag: 'SELECT 1' }),
  errorMessage('42501', 'sluice: blocked by no-payroll: table payroll', 'ERROR', { D: 'detail', H: 'hint' }),
  backend.NoticeResponse.encode({
    kind: 'notice-response',
    fields: { S: 'WARNING', C: '01000', M: 'careful' },
  }),
  backend.ParseComplete.encode({ kind: 'parse-complete' }),
  backend.ParameterDescription.encode({ kind: 'parameter-description', parameterTypes: [23, 4294967295] }),
  backend.BindComplete.encode({ kind: 'bind-complete' }),
  backend.NoData.encode({ kind: 'no-data' }),
  backend.PortalSuspended.encode({ kind: 'portal-suspended' }),
  backend.CloseComplete.encode({ kind: 'close-complete' }),
  backend.EmptyQueryResponse.encode({ kind: 'empty-query-response' }),
  backend.CopyInResponse.encode({ kind: 'copy-in-response', format: 0, columnFormats: [0, 0] }),
  backend.CopyOutResponse.encode({ kind: 'copy-out-response', format: 1, columnFormats: [1] }),
  backend.CopyData.encode({ kind: 'copy-data', data: Buffer.from('row\n') }),
  backend.CopyDone.encode({ kind: 'copy-done' }),
  backend.NotificationResponse.encode({
    kind: 'notification-response',
    processId: 9,
    channel: 'jobs',
    payload: 'hi',
  }),
];

const expected = [
  { name: 'authenticationMD5Password', salt: Buffer.from([1, 2, 3, 4]) },
  { name: 'authenticationSASL', mechanisms: ['SCRAM-SHA-256'] },
  { name: 'authenticationSASLContinue', data: 'r=ab,s=cw==,i=4096' },
  { name: 'authenticationSASLFinal', data: 'v=c2ln' },
  { name: 'authenticationOk' },
  { name: 'parameterStatus', parameterName: 'server_version', parameterValue: '15.8' },
  { name: 'backendKeyData', processID: 4321, secretKey: 258 },
  { name: 'readyForQuery', status: 'I' },
  {
    name: 'rowDescription',
    fieldCount: 2,
    fields: [
      expect.objectContaining({ name: 'id', tableID: 16384, columnID: 1, dataTypeID: 23, format: 'text' }),
      expect.objectContaining({ name: 'é', dataTypeID: 25, dataTypeSize: -1, format: 'binary' }),
    ],
  },
  { name: 'dataRow', fields: ['7', null] },
  { name: 'commandComplete', text: 'SELECT 1' },
  {
    name: 'error',
    severity: 'ERROR',
    code: '42501',
    message: 'sluice: blocked by no-payroll: table payroll',
    detail: 'detail',
    hint: 'hint',
  },
  { name: 'notice', severity: 'WARNING', code: '01000', message: 'careful' },
  { name: 'parseComplete' },
  { name: 'parameterDescription', dataTypeIDs: [23, 4294967295] },
  { name: 'bindComplete' },
  { name: 'noData' },
  { name: 'portalSuspended' },
  { name: 'closeComplete' },
  { name: 'emptyQuery' },
  { name: 'copyInResponse', binary: false, columnTypes: [0, 0] },
  { name: 'copyOutResponse', binary: true, columnTypes: [1] },
  { name: 'copyData', chunk: Buffer.from('row\n') },
  { name: 'copyDone' },
  { name: 'notification', processId: 9, channel: 'jobs', payload: 'hi' },
].map((message) => expect.objectContaining(message));

describe('backend encoders produce what node-postgres reads', () => {
  it('a whole session in one chunk', () => {
    expect(parseAll([Buffer.concat(session)])).toEqual(expected);
  });

  it('the same session cut at every offset', () => {
    const stream = Buffer.concat(session);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parseAll([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expected);
    }
  });
});
