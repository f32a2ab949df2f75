import { connect, createServer, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxiedPeer, readProxyHeader, TrustedProxies } from '../src/client-peer.js';
import { ProxyHeaderError, parseProxyHeader, V2_MAX_BODY_BYTES } from '../src/proxy-header.js';

const SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** A version 2 header: command 1 (PROXY) or 0 (LOCAL), a family byte and its address block. */
function v2(command: number, family: number, body: Buffer): Buffer {
  const fixed = Buffer.alloc(4);
  fixed[0] = 0x20 | command;
  fixed[1] = family;
  fixed.writeUInt16BE(body.length, 2);
  return Buffer.concat([SIGNATURE, fixed, body]);
}

function tcp4(source: number[], sourcePort: number): Buffer {
  const body = Buffer.alloc(12);
  Buffer.from(source).copy(body, 0);
  Buffer.from([10, 0, 0, 9]).copy(body, 4);
  body.writeUInt16BE(sourcePort, 8);
  body.writeUInt16BE(6432, 10);
  return body;
}

const parsed = (text: string | Buffer) =>
  parseProxyHeader(typeof text === 'string' ? Buffer.from(text) : text);

describe('parseProxyHeader, version 1', () => {
  it('reads the client of a TCP4 and a TCP6 line, and where the client bytes start', () => {
    const line = 'PROXY TCP4 203.0.113.7 10.0.0.9 40001 6432\r\n';
    expect(parsed(`${line}\x00\x00\x00\x08`)).toEqual({
      kind: 'header',
      length: line.length,
      source: { address: '203.0.113.7', port: 40001 },
    });
    expect(parsed('PROXY TCP6 2001:0db8:0:0:0:0:0:7 2001:db8::9 443 6432\r\n')).toMatchObject({
      source: { address: '2001:db8::7', port: 443 },
    });
  });

  it('keeps the connection its own for UNKNOWN, with or without addresses', () => {
    expect(parsed('PROXY UNKNOWN\r\n')).toEqual({ kind: 'header', length: 15, source: undefined });
    expect(parsed('PROXY UNKNOWN ffff:f::1 ffff:f::2 1 2\r\n')).toMatchObject({ source: undefined });
  });

  it('waits for more bytes until the line ends', () => {
    const line = 'PROXY TCP4 203.0.113.7 10.0.0.9 40001 6432\r\n';
    for (let cut = 1; cut < line.length; cut++)
      expect(parsed(line.slice(0, cut)).kind, line.slice(0, cut)).toBe('incomplete');
  });

  it('refuses lines that are not headers', () => {
    for (const line of [
      'PROXY TCP4 203.0.113.7 10.0.0.9 40001 65536\r\n',
      'PROXY TCP4 203.0.113.7 10.0.0.9 040001 6432\r\n',
      'PROXY TCP4 2001:db8::7 10.0.0.9 1 2\r\n',
      'PROXY TCP6 203.0.113.7 2001:db8::9 1 2\r\n',
      'PROXY TCP4 203.0.113.256 10.0.0.9 1 2\r\n',
      'PROXY TCP4  203.0.113.7 10.0.0.9 1 2\r\n',
      'PROXY UDP4 203.0.113.7 10.0.0.9 1 2\r\n',
      'PROXY TCP4 203.0.113.7 10.0.0.9 1 2\n',
      'PROXYTCP4\r\n',
      'proxy TCP4 203.0.113.7 10.0.0.9 1 2\r\n',
    ]) {
      expect(() => parsed(line), JSON.stringify(line)).toThrow(ProxyHeaderError);
    }
  });

  it('refuses a line that has not ended within 107 bytes', () => {
    expect(() => parsed(`PROXY UNKNOWN ${'x'.repeat(100)}`)).toThrow(/longer than 107 bytes/);
  });
});

describe('parseProxyHeader, version 2', () => {
  it('reads the client of TCP over IPv4 and IPv6, skipping TLVs', () => {
    const tlv = Buffer.from([0x04, 0x00, 0x03, 0x61, 0x62, 0x63]);
    const header = v2(1, 0x11, Buffer.concat([tcp4([203, 0, 113, 7], 40001), tlv]));
    expect(parseProxyHeader(Buffer.concat([header, Buffer.from('rest')]))).toEqual({
      kind: 'header',
      length: header.length,
      source: { address: '203.0.113.7', port: 40001 },
    });
    const six = Buffer.alloc(36);
    Buffer.from('20010db8000000000000000000000007', 'hex').copy(six, 0);
    six.writeUInt16BE(443, 32);
    expect(parseProxyHeader(v2(1, 0x21, six))).toMatchObject({
      source: { address: '2001:db8::7', port: 443 },
    });
  });

  it('keeps the connection its own for LOCAL (health checks), UNSPEC, UDP and UNIX sockets', () => {
    expect(parseProxyHeader(v2(0, 0x11, tcp4([203, 0, 113, 7], 1)))).toMatchObject({ source: undefined });
    expect(parseProxyHeader(v2(0, 0x00, Buffer.alloc(0)))).toEqual({
      kind: 'header',
      length: 16,
      source: undefined,
    });
    expect(parseProxyHeader(v2(1, 0x12, tcp4([203, 0, 113, 7], 1)))).toMatchObject({ source: undefined });
    expect(parseProxyHeader(v2(1, 0x31, Buffer.alloc(216)))).toMatchObject({ source: undefined });
  });

  it('waits for more bytes until the signature, fixed part and addresses are in', () => {
    const header = v2(1, 0x11, tcp4([203, 0, 113, 7], 40001));
    for (let cut = 1; cut < header.length; cut++)
      expect(parseProxyHeader(header.subarray(0, cut)).kind, String(cut)).toBe('incomplete');
  });

  it('refuses other versions and commands, cut addresses and oversized headers', () => {
    const good = v2(1, 0x11, tcp4([203, 0, 113, 7], 40001));
    const version1 = Buffer.from(good);
    version1[12] = 0x11;
    expect(() => parseProxyHeader(version1)).toThrow(/version 1 is not supported/);
    const command2 = Buffer.from(good);
    command2[12] = 0x22;
    expect(() => parseProxyHeader(command2)).toThrow(/unknown PROXY protocol v2 command 2/);
    expect(() => parseProxyHeader(v2(1, 0x11, Buffer.alloc(11)))).toThrow(/cut short/);
    expect(() => parseProxyHeader(v2(1, 0x21, Buffer.alloc(35)))).toThrow(/cut short/);
    const huge = v2(1, 0x11, Buffer.alloc(0));
    huge.writeUInt16BE(V2_MAX_BODY_BYTES + 1, 14);
    expect(() => parseProxyHeader(huge)).toThrow(/at most 2048/);
  });

  it('refuses anything that starts otherwise, as soon as it differs', () => {
    expect(() => parsed('\x00\x00\x00\x08\x04\xd2\x16\x2f')).toThrow(
      /does not start with a PROXY protocol header/,
    );
    expect(() => parsed('\r\n\r\nX')).toThrow(ProxyHeaderError);
    expect(() => parsed('PROXX')).toThrow(ProxyHeaderError);
    expect(parsed('\r\n\r\n').kind).toBe('incomplete');
  });
});

describe('parseProxyHeader on any bytes', () => {
  it('answers or throws ProxyHeaderError, never anything else, and never claims more than it got', () => {
    const header = v2(1, 0x11, tcp4([203, 0, 113, 7], 40001));
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 64 }).map((tail) => Buffer.concat([SIGNATURE, tail])),
      fc.uint8Array({ maxLength: 64 }).map((tail) => Buffer.concat([Buffer.from('PROXY '), tail])),
      fc
        .tuple(fc.nat(header.length - 1), fc.integer({ min: 0, max: 255 }))
        .map(([at, value]) => Buffer.from(header).fill(value, at, at + 1)),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        try {
          const result = parseProxyHeader(Buffer.from(input));
          if (result.kind === 'header') expect(result.length).toBeLessThanOrEqual(input.length);
        } catch (error) {
          expect(error).toBeInstanceOf(ProxyHeaderError);
        }
      }),
      { seed: 0x9e0c, numRuns: 2000 },
    );
  });
});

describe('TrustedProxies', () => {
  it('lists addresses and ranges of both families, IPv4-mapped addresses included', () => {
    const proxies = new TrustedProxies([
      { address: '10.0.4.2', prefix: 32, family: 'ipv4' },
      { address: '10.0.5.0', prefix: 24, family: 'ipv4' },
      { address: 'fd00::', prefix: 8, family: 'ipv6' },
    ]);
    expect(proxies.includes('10.0.4.2')).toBe(true);
    expect(proxies.includes('::ffff:10.0.5.77')).toBe(true);
    expect(proxies.includes('fd12::1')).toBe(true);
    expect(proxies.includes('10.0.4.3')).toBe(false);
    expect(proxies.includes('10.0.6.1')).toBe(false);
    expect(proxies.includes(undefined)).toBe(false);
    expect(new TrustedProxies([]).includes('10.0.4.2')).toBe(false);
  });
});

describe('readProxyHeader on a socket', () => {
  let server: Server;
  const accepted: ((socket: Socket) => void)[] = [];
  beforeAll(async () => {
    server = createServer((socket) => accepted.shift()?.(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function sending(chunks: readonly Buffer[], end = true): Promise<Socket> {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const serverSide = new Promise<Socket>((resolve) => accepted.push(resolve));
    const client = connect(port, '127.0.0.1');
    client.on('error', () => undefined);
    client.once('connect', async () => {
      for (const chunk of chunks) {
        client.write(chunk);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (end) client.end();
    });
    return serverSide;
  }

  it('leaves every byte after the header, in order, for the next reader, however it was split', async () => {
    const header = v2(1, 0x11, tcp4([203, 0, 113, 7], 40001));
    const after = Buffer.from('client bytes that follow the header');
    const whole = Buffer.concat([header, after]);
    for (const cuts of [[whole.length], [3, 20, whole.length], [header.length + 4, whole.length]]) {
      const chunks = cuts.map((to, i) => whole.subarray(cuts[i - 1] ?? 0, to));
      const socket = await sending(chunks);
      const source = await readProxyHeader(socket);
      expect(source).toEqual({ address: '203.0.113.7', port: 40001 });
      expect(proxiedPeer(socket, source ?? { address: '', port: 0 })).toEqual({
        host: '203.0.113.7',
        address: '203.0.113.7:40001',
        loopback: false,
      });
      const rest: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => rest.push(chunk));
      await new Promise((resolve) => socket.once('end', resolve));
      expect(Buffer.concat(rest).toString()).toBe(after.toString());
    }
  });

  it('rejects a connection that closes mid-header, sends something else, or sends nothing in time', async () => {
    const header = v2(1, 0x11, tcp4([203, 0, 113, 7], 40001));
    await expect(readProxyHeader(await sending([header.subarray(0, 10)]))).rejects.toMatchObject({
      message: 'the connection closed before its PROXY protocol header ended',
      silent: false,
    });
    // Connected and closed without a byte: a balancer's TCP health check.
    await expect(readProxyHeader(await sending([]))).rejects.toMatchObject({ silent: true });
    await expect(readProxyHeader(await sending([Buffer.from([0, 0, 0, 8, 4, 210, 22, 47])]))).rejects.toThrow(
      /does not start with a PROXY protocol header/,
    );
    const silent = await sending([], false);
    await expect(readProxyHeader(silent, 100)).rejects.toThrow(/no PROXY protocol header within 0.1 s/);
    silent.destroy();
  });
});
