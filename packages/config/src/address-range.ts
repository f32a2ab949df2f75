import { isIP } from 'node:net';

/** One address or CIDR range: `10.0.4.2`, `10.0.4.0/24`, `fd00::/8`. */
export interface AddressRange {
  readonly address: string;
  /** Bits that must match: 32 or 128 for one address. */
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

export const ADDRESS_RANGE_EXAMPLE = 'an address or CIDR range such as 10.0.4.2 or 10.0.5.0/24';
export const ADDRESS_RANGES_EXAMPLE = 'a list of addresses or CIDR ranges such as [10.0.4.2, 10.0.5.0/24]';

export function parseAddressRange(text: string): AddressRange | undefined {
  const [address = '', prefixText, ...rest] = text.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return undefined;
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^(?:0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** `10.0.4.0/24`; one address keeps its full prefix, `10.0.4.2/32`. */
export function formatAddressRange(range: AddressRange): string {
  return `${range.address}/${range.prefix}`;
}
