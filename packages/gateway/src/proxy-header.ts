import { isIPv4, isIPv6, SocketAddress } from 'node:net';

/**
 * The PROXY protocol header a load balancer (HAProxy `send-proxy`/`send-proxy-v2`, AWS NLB,
 * nginx) writes before its client's bytes: version 1 (a text line) or 2 (binary), as in
 * https://www.haproxy.org/download/2.6/doc/proxy-protocol.txt.
 */
export type ProxyHeader =
  | { readonly kind: 'incomplete' }
  | {
      readonly kind: 'header';
      /** Bytes the header takes; what follows is the client's. */
      readonly length: number;
      /** The client it names; undefined for LOCAL, UNKNOWN and non-TCP families (the balancer's own). */
      readonly source: ProxiedSource | undefined;
    };

export interface ProxiedSource {
  readonly address: string;
  readonly port: number;
}

export class ProxyHeaderError extends Error {
  override readonly name = 'ProxyHeaderError';

  /** The peer closed without sending a byte: a balancer's TCP health check, not a failure. */
  constructor(
    message: string,
    readonly silent = false,
  ) {
    super(message);
  }
}

const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
/** The longest version 1 line the specification allows, CRLF included. */
const V1_MAX_BYTES = 107;
/** Addresses and TLVs after the 16 fixed bytes; balancers send a few hundred at most. */
export const V2_MAX_BODY_BYTES = 2048;

const V1_LINE =
  /^PROXY (?:UNKNOWN(?: [^\r\n]*)?|(TCP4|TCP6) ([0-9A-Fa-f.:]+) ([0-9A-Fa-f.:]+) (0|[1-9]\d{0,4}) (0|[1-9]\d{0,4}))$/;

/** Reads a header from the start of `bytes`; throws ProxyHeaderError when they are not one. */
export function parseProxyHeader(bytes: Buffer): ProxyHeader {
  if (bytes.length === 0) return { kind: 'incomplete' };
  if (bytes[0] === V2_SIGNATURE[0]) return parseV2(bytes);
  if (bytes[0] === V1_PREFIX[0]) return parseV1(bytes);
  throw new ProxyHeaderError('the connection does not start with a PROXY protocol header');
}

function parseV1(bytes: Buffer): ProxyHeader {
  const prefix = Math.min(bytes.length, V1_PREFIX.length);
  if (!bytes.subarray(0, prefix).equals(V1_PREFIX.subarray(0, prefix)))
    throw new ProxyHeaderError('the connection does not start with a PROXY protocol header');
  const newline = bytes.subarray(0, V1_MAX_BYTES).indexOf('\n');
  if (newline < 0) {
    if (bytes.length >= V1_MAX_BYTES)
      throw new ProxyHeaderError(`PROXY protocol v1 header longer than ${V1_MAX_BYTES} bytes`);
    return { kind: 'incomplete' };
  }
  if (bytes[newline - 1] !== 0x0d) throw new ProxyHeaderError('PROXY protocol v1 header not ended by CRLF');
  const end = newline - 1;
  const line = bytes.toString('latin1', 0, end);
  const match = V1_LINE.exec(line);
  if (!match) throw new ProxyHeaderError('malformed PROXY protocol v1 header');
  const [, family, source, destination, sourcePort, destinationPort] = match;
  const length = end + 2;
  if (family === undefined) return { kind: 'header', length, source: undefined };
  const valid = family === 'TCP4' ? isIPv4 : isIPv6;
  if (!valid(source ?? '') || !valid(destination ?? '') || !isPort(sourcePort) || !isPort(destinationPort))
    throw new ProxyHeaderError(`malformed ${family} addresses in a PROXY protocol v1 header`);
  return { kind: 'header', length, source: canonical(source ?? '', family === 'TCP4', Number(sourcePort)) };
}

function parseV2(bytes: Buffer): ProxyHeader {
  const prefix = Math.min(bytes.length, V2_SIGNATURE.length);
  if (!bytes.subarray(0, prefix).equals(V2_SIGNATURE.subarray(0, prefix)))
    throw new ProxyHeaderError('the connection does not start with a PROXY protocol header');
  if (bytes.length < 16) return { kind: 'incomplete' };
  const versionAndCommand = bytes[12] ?? 0;
  if (versionAndCommand >> 4 !== 2)
    throw new ProxyHeaderError(`PROXY protocol version ${versionAndCommand >> 4} is not supported`);
  const command = versionAndCommand & 0x0f;
  if (command > 1) throw new ProxyHeaderError(`unknown PROXY protocol v2 command ${command}`);
  const family = bytes[13] ?? 0;
  const bodyLength = bytes.readUInt16BE(14);
  if (bodyLength > V2_MAX_BODY_BYTES)
    throw new ProxyHeaderError(
      `PROXY protocol v2 header of ${bodyLength} bytes; at most ${V2_MAX_BODY_BYTES}`,
    );
  const length = 16 + bodyLength;
  if (bytes.length < length) return { kind: 'incomplete' };
  // LOCAL: the balancer speaks for itself (a health check); the addresses are to be ignored.
  if (command === 0) return { kind: 'header', length, source: undefined };
  const body = bytes.subarray(16, length);
  if (family === 0x11) {
    if (bodyLength < 12) throw new ProxyHeaderError('PROXY protocol v2 TCP4 addresses are cut short');
    const address = [...body.subarray(0, 4)].join('.');
    return { kind: 'header', length, source: canonical(address, true, body.readUInt16BE(8)) };
  }
  if (family === 0x21) {
    if (bodyLength < 36) throw new ProxyHeaderError('PROXY protocol v2 TCP6 addresses are cut short');
    const groups: string[] = [];
    for (let offset = 0; offset < 16; offset += 2) groups.push(body.readUInt16BE(offset).toString(16));
    return { kind: 'header', length, source: canonical(groups.join(':'), false, body.readUInt16BE(32)) };
  }
  // UNSPEC, UDP and UNIX sockets name no TCP client: the connection stands for itself.
  return { kind: 'header', length, source: undefined };
}

function isPort(text: string | undefined): boolean {
  return text !== undefined && Number(text) <= 65_535;
}

/** `2001:0db8:0:0:0:0:0:7` becomes `2001:db8::7`, as the socket of a direct client would say. */
function canonical(address: string, ipv4: boolean, port: number): ProxiedSource {
  return { address: new SocketAddress({ address, family: ipv4 ? 'ipv4' : 'ipv6' }).address, port };
}
