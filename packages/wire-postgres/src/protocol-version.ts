/** Protocol versions are major << 16 | minor. */
export function protocolMajor(version: number): number {
  return version >>> 16;
}

export function protocolMinor(version: number): number {
  return version & 0xffff;
}

export function describeProtocolVersion(version: number): string {
  return `${protocolMajor(version)}.${protocolMinor(version)}`;
}
