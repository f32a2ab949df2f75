import { Capability, CharacterSet, hasCapability, type packets } from '@sluice/wire-mysql';

/**
 * What clients are told about the server behind Sluice: its version, the capabilities Sluice
 * can mirror, its default collation. Learnt from the upstream's greeting, because Sluice greets
 * its clients before it logs in upstream on their behalf.
 */
export interface UpstreamProfile {
  readonly serverVersion: string;
  readonly capabilities: number;
  /** MariaDB's extended capabilities (zero from MySQL). */
  readonly mariadbCapabilities: number;
  readonly characterSet: number;
  /** MariaDB reports sql_mode's ANSI_QUOTES in its status flags; MySQL does not. */
  readonly mariadb: boolean;
}

/** Used before Sluice has ever reached the upstream: a modern server without optional features. */
export const UNKNOWN_UPSTREAM_VERSION = '8.0.0';

export function profileOf(greeting: packets.InitialHandshake): UpstreamProfile {
  return {
    serverVersion: greeting.serverVersion,
    capabilities: greeting.capabilities,
    mariadbCapabilities: greeting.mariadbCapabilities,
    characterSet: greeting.characterSet,
    mariadb:
      greeting.serverVersion.includes('MariaDB') ||
      !hasCapability(greeting.capabilities, Capability.longPassword),
  };
}

export function greetingVersion(profile: UpstreamProfile | undefined): string {
  return `${profile?.serverVersion ?? UNKNOWN_UPSTREAM_VERSION}-sluice`;
}

export function greetingCharacterSet(profile: UpstreamProfile | undefined): number {
  return profile?.characterSet ?? CharacterSet.utf8mb4GeneralCi;
}
