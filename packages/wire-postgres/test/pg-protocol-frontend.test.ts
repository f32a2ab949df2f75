import { serialize } from 'pg-protocol';
import { describe, expect, it } from 'vitest';
import { decodeUntyped, type Frame, FrameSplitter, frontend } from '../src/index.js';

/** pg-protocol's serializer (what node-postgres sends) as an independent producer of client frames. */
describe('frontend decoders read what node-postgres sends', () => {
  it('StartupMessage', () => {
    const message = decodeUntyped(
      serialize.startup({ user: 'alice', database: 'orders', options: '-c x=1' }),
    );
    expect(message).toEqual({
      kind: 'startup',
      protocolVersion: 196608,
      parameters: { user: 'alice', database: 'orders', options: '-c x=1', client_encoding: 'UTF8' },
    });
  });

  it('SSLRequest and CancelRequest', () => {
    expect(decodeUntyped(serialize.requestSsl())).toEqual({ kind: 'ssl-request' });
    const cancel = decodeUntyped(serialize.cancel(1234, 0x01020304));
    expect(cancel).toEqual({ kind: 'cancel-request', processId: 1234, secretKey: Buffer.from([1, 2, 3, 4]) });
  });

  it('password-phase messages', () => {
    expect(frontend.PasswordMessage.decode(serialize.password('md5abc'))).toEqual({
      kind: 'password',
      password: 'md5abc',
    });
    const initial = frontend.SaslInitialResponse.decode(
      serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'n,,n=*,r=nonce'),
    );
    expect(initial).toEqual({
      kind: 'sasl-initial-response',
      mechanism: 'SCRAM-SHA-256',
      data: Buffer.from('n,,n=*,r=nonce'),
    });
    const response = frontend.SaslResponse.decode(
      serialize.sendSCRAMClientFinalMessage('c=biws,r=nonce,p=proof'),
    );
    expect(response.data.toString()).toBe('c=biws,r=nonce,p=proof');
  });

  it('Query and Parse', () => {
    expect(frontend.Query.decode(serialize.query('SELECT ’quoted’'))).toEqual({
      kind: 'query',
      text: 'SELECT ’quoted’',
    });
    expect(frontend.Parse.decode(serialize.parse({ name: 's1', text: 'SELECT $1', types: [23] }))).toEqual({
      kind: 'parse',
      name: 's1',
      text: 'SELECT $1',
      parameterTypes: [23],
    });
  });

  it('Bind with text, NULL and binary values', () => {
    const bytes = serialize.bind({
      portal: 'p1',
      statement: 's1',
      values: ['42', null, Buffer.from([0xff, 0x00])],
      binary: true,
    });
    expect(frontend.Bind.decode(bytes)).toEqual({
      kind: 'bind',
      portal: 'p1',
      statement: 's1',
      parameterFormats: [0, 0, 1],
      parameters: [Buffer.from('42'), null, Buffer.from([0xff, 0x00])],
      resultFormats: [1],
    });
  });

  it('Execute, Describe, Close and the empty messages', () => {
    expect(frontend.Execute.decode(serialize.execute({ portal: 'p1', rows: 10 }))).toEqual({
      kind: 'execute',
      portal: 'p1',
      maxRows: 10,
    });
    expect(frontend.Execute.decode(serialize.execute())).toEqual({ kind: 'execute', portal: '', maxRows: 0 });
    expect(frontend.Describe.decode(serialize.describe({ type: 'S', name: 's1' }))).toEqual({
      kind: 'describe',
      target: 'statement',
      name: 's1',
    });
    expect(frontend.Close.decode(serialize.close({ type: 'P', name: 'p1' }))).toEqual({
      kind: 'close',
      target: 'portal',
      name: 'p1',
    });
    expect(frontend.Sync.decode(serialize.sync())).toEqual({ kind: 'sync' });
    expect(frontend.Flush.decode(serialize.flush())).toEqual({ kind: 'flush' });
    expect(frontend.Terminate.decode(serialize.end())).toEqual({ kind: 'terminate' });
  });

  it('COPY messages', () => {
    expect(frontend.CopyData.decode(serialize.copyData(Buffer.from('1\tx\n')))).toEqual({
      kind: 'copy-data',
      data: Buffer.from('1\tx\n'),
    });
    expect(frontend.CopyDone.decode(serialize.copyDone())).toEqual({ kind: 'copy-done' });
    expect(frontend.CopyFail.decode(serialize.copyFail('no more'))).toEqual({
      kind: 'copy-fail',
      message: 'no more',
    });
  });

  it('a pipelined extended-protocol batch splits and decodes at every chunk boundary', () => {
    const stream = Buffer.concat([
      serialize.parse({ name: '', text: 'SELECT $1::text', types: [0] }),
      serialize.bind({ values: ['hello'] }),
      serialize.describe({ type: 'P', name: '' }),
      serialize.execute({ portal: '', rows: 0 }),
      serialize.sync(),
    ]);
    const expectedKinds = ['parse', 'bind', 'describe', 'execute', 'sync'];
    for (let cut = 0; cut <= stream.length; cut++) {
      const splitter = new FrameSplitter({ untyped: false, maxFrameBytes: 1024 });
      const frames: Frame[] = [];
      splitter.push(stream.subarray(0, cut), (frame) => frames.push(frame));
      splitter.push(stream.subarray(cut), (frame) => frames.push(frame));
      expect(frames.map(decodeFrontendFrame)).toEqual(expectedKinds);
    }
  });
});

function decodeFrontendFrame(frame: Frame): string {
  switch (frame.code) {
    case frontend.Parse.code:
      return frontend.Parse.decode(frame.bytes).kind;
    case frontend.Bind.code:
      return frontend.Bind.decode(frame.bytes).kind;
    case frontend.Describe.code:
      return frontend.Describe.decode(frame.bytes).kind;
    case frontend.Execute.code:
      return frontend.Execute.decode(frame.bytes).kind;
    case frontend.Sync.code:
      return frontend.Sync.decode(frame.bytes).kind;
    default:
      throw new Error(`unexpected frame ${String.fromCharCode(frame.code)}`);
  }
}
