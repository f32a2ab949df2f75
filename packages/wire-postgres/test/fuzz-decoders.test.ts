import { chunked, mutatedBytes, mutatedFrom } from '@sluice/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backend,
  decodeUntyped,
  deriveScramKeys,
  errorMessage,
  type Frame,
  FrameSplitter,
  ScramClient,
  ScramServer,
  WireError,
} from '../src/index.js';
import { backendCases } from './fixtures/backend-cases.js';
import { cstr, int32, lengthPrefixed, typed, untyped } from './fixtures/bytes.js';
import { frontendCases } from './fixtures/frontend-cases.js';

// Fixed seeds make a failure reproducible; the run counts keep the file near 10 s on 2 shared cores.
const SEED = 0x51c3;
const RUNS = 2000;
/** No decoder may spend this long on one input of a few kilobytes; a hang fails long before vitest's timeout. */
const BUDGET_MS = 250;

/** Runs `work`; anything thrown must be a WireError, and the call must stay within the time budget. */
function onlyWireErrors(work: () => unknown): void {
  const started = performance.now();
  try {
    work();
  } catch (error) {
    if (!(error instanceof WireError)) throw new Error(`untyped throw: ${String(error)}`, { cause: error });
  }
  expect(performance.now() - started).toBeLessThan(BUDGET_MS);
}

const allCases = [...frontendCases, ...backendCases];
const everyDecoder = allCases.map((testCase) => testCase.decode);
const typedFrames = allCases.filter((testCase) => testCase.typed).map((testCase) => testCase.frame);
const untypedFrames = frontendCases.filter((testCase) => !testCase.typed).map((testCase) => testCase.frame);

describe('every message decoder on mutated frames', () => {
  for (const testCase of allCases) {
    it(`${testCase.name} throws only WireError`, () => {
      fc.assert(
        fc.property(mutatedBytes(testCase.frame), (frame) => onlyWireErrors(() => testCase.decode(frame))),
        { seed: SEED, numRuns: RUNS / 4 },
      );
    });
  }

  it('a frame of one type given to every other decoder throws only WireError', () => {
    fc.assert(
      fc.property(mutatedFrom(allCases.map((testCase) => testCase.frame)), (frame) => {
        for (const decode of everyDecoder) onlyWireErrors(() => decode(frame));
      }),
      { seed: SEED, numRuns: RUNS / 4 },
    );
  });

  it('decodeUntyped on mutated startup-phase frames throws only WireError', () => {
    fc.assert(
      fc.property(mutatedFrom(untypedFrames), (frame) => onlyWireErrors(() => decodeUntyped(frame))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('decoders survive huge and negative counts and lengths inside a frame', () => {
    const huge = [0x7fffffff, -1, -2, 0x7ffffffe, 65535];
    for (const value of huge) {
      const frames = [
        typed('D', Buffer.from([0xff, 0xff]), int32(value)),
        typed('B', cstr(''), cstr(''), Buffer.from([0xff, 0xff])),
        typed('B', cstr(''), cstr(''), Buffer.from([0, 0, 0, 1]), int32(value)),
        typed('F', int32(1), Buffer.from([0, 1, 0, 0, 0, 1]), int32(value)),
        typed('p', cstr('SCRAM-SHA-256'), int32(value)),
        typed('T', Buffer.from([0xff, 0xff]), cstr('a')),
        untyped(int32(80877102), int32(value)),
        typed('d', lengthPrefixed(null)),
      ];
      for (const frame of frames) {
        for (const decode of everyDecoder) onlyWireErrors(() => decode(frame));
        onlyWireErrors(() => decodeUntyped(frame));
      }
    }
  });

  it('decoders survive 1 MB strings and invalid UTF-8 without hanging', () => {
    const big = 'x'.repeat(1024 * 1024);
    const invalid = Buffer.from([0xc0, 0x80, 0xff, 0xed, 0xa0, 0x80, 0]);
    const frames = [
      typed('Q', cstr(big)),
      typed('Q', invalid),
      typed('P', cstr(big), cstr('SELECT 1'), Buffer.from([0, 0])),
      untyped(int32(196608), cstr('user'), invalid, Buffer.from([0])),
      untyped(int32(196608), cstr('user'), cstr(big), Buffer.from([0])),
    ];
    for (const frame of frames) {
      for (const decode of everyDecoder) onlyWireErrors(() => decode(frame));
      onlyWireErrors(() => decodeUntyped(frame));
    }
  });
});

/** Feeds chunks to a splitter, switching to typed frames after a StartupMessage as the gateway does. */
function splitAll(chunks: readonly Buffer[], untypedStart: boolean, maxFrameBytes: number): Frame[] {
  const splitter = new FrameSplitter({ untyped: untypedStart, maxFrameBytes });
  const frames: Frame[] = [];
  let received = 0;
  for (const chunk of chunks) {
    received += chunk.length;
    splitter.push(chunk, (frame) => {
      frames.push(frame);
      if (frame.code === 0 && frame.bytes.length >= 8 && frame.bytes.readUInt16BE(4) === 3) {
        splitter.setUntyped(false);
      }
    });
    // Held bytes never exceed what arrived, whatever length was declared.
    expect(splitter.pendingBytes).toBeLessThanOrEqual(received);
  }
  return frames;
}

describe('FrameSplitter on mutated streams', () => {
  const cuts = fc.array(fc.nat(), { maxLength: 6 });

  it('typed streams in random chunks throw only WireError, and every frame is within the limit', () => {
    const stream = fc
      .array(mutatedFrom(typedFrames), { minLength: 1, maxLength: 6 })
      .map((frames) => Buffer.concat(frames));
    fc.assert(
      fc.property(stream, cuts, (bytes, offsets) => {
        onlyWireErrors(() => {
          for (const frame of splitAll(chunked(bytes, offsets), false, 4096)) {
            expect(frame.bytes.length).toBeLessThanOrEqual(4097);
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('startup then typed frames, mutated, in random chunks throw only WireError', () => {
    const stream = fc
      .tuple(mutatedFrom(untypedFrames), fc.array(mutatedFrom(typedFrames), { maxLength: 4 }))
      .map(([first, rest]) => Buffer.concat([first, ...rest]));
    fc.assert(
      fc.property(stream, cuts, (bytes, offsets) => {
        onlyWireErrors(() => splitAll(chunked(bytes, offsets), true, 10_000));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a declared length of 0x7fffffff or 0xffffffff is refused before anything is reserved', () => {
    for (const declared of [0x7fffffff, 0xffffffff, 0x80000000]) {
      const header = Buffer.alloc(5);
      header[0] = 0x51;
      header.writeUInt32BE(declared, 1);
      expect(() => splitAll([header], false, 1024 * 1024)).toThrow(WireError);
      expect(() => splitAll([header.subarray(1)], true, 10_000)).toThrow(WireError);
    }
  });

  it('a large declared length within the limit holds only the bytes actually sent', () => {
    const splitter = new FrameSplitter({ untyped: false, maxFrameBytes: 0x7fffffff });
    const header = Buffer.alloc(5);
    header[0] = 0x51;
    header.writeUInt32BE(0x7ffffff0, 1);
    const before = process.memoryUsage().arrayBuffers;
    splitter.push(header, () => expect.fail('no frame is complete'));
    for (let sent = 0; sent < 256; sent += 1) splitter.push(Buffer.alloc(1024), () => undefined);
    expect(splitter.pendingBytes).toBe(5 + 256 * 1024);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
  });

  it('truncation at every byte of a startup + query stream leaves only whole frames', () => {
    const stream = Buffer.concat([...untypedFrames.slice(0, 1), ...typedFrames]);
    for (let cut = 0; cut <= stream.length; cut += 1) {
      onlyWireErrors(() => splitAll([stream.subarray(0, cut)], true, 10_000));
    }
  });
});

describe('SCRAM messages', () => {
  const keys = deriveScramKeys('pencil', Buffer.from('salt-of-sixteen!'), 4096);
  const clientFirst = Buffer.from('n,,n=*,r=rOprNGfwEbeRWgbNEkqO');
  const serverFirst = Buffer.from(
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  );
  const clientFinal = Buffer.from(
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  );
  // Hashing is not what is fuzzed: a cheap stand-in keeps a mutated iteration count from costing time.
  const cheapSalt = (): Buffer => Buffer.alloc(32, 7);

  it('ScramServer.serverFirst throws only WireError; serverFinal never throws', () => {
    fc.assert(
      fc.property(mutatedBytes(clientFirst), mutatedBytes(clientFinal), (first, final) => {
        const server = new ScramServer(keys, '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0');
        onlyWireErrors(() => server.serverFirst(first));
        const started = performance.now();
        const result = server.serverFinal(final);
        expect(typeof result.ok).toBe('boolean');
        expect(performance.now() - started).toBeLessThan(BUDGET_MS);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('ScramClient.clientFinal throws only WireError; verifyServerFinal never throws', () => {
    fc.assert(
      fc.property(
        mutatedBytes(serverFirst),
        mutatedBytes(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')),
        (first, final) => {
          const client = new ScramClient('pencil', 'rOprNGfwEbeRWgbNEkqO', cheapSalt);
          onlyWireErrors(() => client.clientFinal(first));
          expect(typeof client.verifyServerFinal(final)).toBe('boolean');
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('errors built from client text', () => {
  it('errorMessage encodes any message, NUL bytes included, as a readable ErrorResponse', () => {
    // Found by the socket fuzzer: a SCRAM attribute holding NUL bytes was quoted in the error
    // message, the encoder refused the C string, and the client got a silent close instead.
    expect(backend.ErrorResponse.decode(errorMessage('08P01', 'sluice: bad "r\0\0bc"')).fields.get('M')).toBe(
      'sluice: bad "r\\0\\0bc"',
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (message) => {
        const decoded = backend.ErrorResponse.decode(errorMessage('08P01', message, 'FATAL', { D: message }));
        expect(decoded.fields.get('M')).toBe(message.replaceAll('\0', '\\0'));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
