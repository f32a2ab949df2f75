import { Capability, hasCapability, MariadbCapability } from '@sluice/wire-mysql';
import type { UpstreamProfile } from './upstream-profile.js';

/** What Sluice itself needs on the upstream side, whatever the client chose. */
const UPSTREAM_REQUIRED =
  Capability.protocol41 |
  Capability.secureConnection |
  Capability.pluginAuth |
  Capability.pluginAuthLenencClientData;

/**
 * Flags a client may choose that change only what the server does, not the wire format Sluice
 * reads, so they are offered and passed on as chosen: result formats stay equal on both sides.
 */
const PASSED_THROUGH =
  Capability.foundRows |
  Capability.longFlag |
  Capability.ignoreSpace |
  Capability.interactive |
  Capability.ignoreSigpipe |
  Capability.transactions |
  Capability.multiStatements |
  Capability.multiResults |
  Capability.psMultiResults;

/** Offered only when the upstream offers it too: both change the packets Sluice relays. */
const MIRRORED = Capability.deprecateEof | Capability.sessionTrack;

/**
 * MariaDB's extended capabilities offered when the upstream offers them: extended metadata only
 * adds a field to column definitions (the JSON format, UUID and INET type names), which Sluice
 * reads and relays. Progress reports, bulk execution and metadata caching are not offered.
 */
const MARIADB_MIRRORED = MariadbCapability.extendedMetadata;

/**
 * The capabilities of Sluice's greeting. COMPRESS is Sluice's own (it inflates and deflates the
 * client's side; the upstream link is never compressed). Never LOCAL_FILES (LOAD DATA LOCAL
 * would let the server read the client's files).
 * CLIENT_MYSQL follows the upstream, so MariaDB clients see a MariaDB.
 */
export function offeredCapabilities(profile: UpstreamProfile | undefined, tls: boolean): number {
  let flags =
    UPSTREAM_REQUIRED |
    PASSED_THROUGH |
    Capability.connectWithDb |
    Capability.connectAttrs |
    Capability.compress |
    (profile ? profile.capabilities & MIRRORED : 0);
  if (!profile || hasCapability(profile.capabilities, Capability.longPassword))
    flags |= Capability.longPassword;
  if (tls) flags |= Capability.ssl;
  return flags >>> 0;
}

/** MariaDB's extended capabilities of Sluice's greeting: only behind a MariaDB that offers them. */
export function offeredMariadbCapabilities(profile: UpstreamProfile | undefined): number {
  if (!profile || hasCapability(profile.capabilities, Capability.longPassword)) return 0;
  return (profile.mariadbCapabilities & MARIADB_MIRRORED) >>> 0;
}

/** What the client and Sluice agreed on. */
export function negotiatedCapabilities(clientFlags: number, offered: number): number {
  return (clientFlags & offered) >>> 0;
}

export interface UpstreamLoginFlags {
  /** The flags to send in the upstream HandshakeResponse41 (without CLIENT_SSL). */
  readonly capabilities: number;
  /** MariaDB's extended capabilities to send, those the client negotiated. */
  readonly mariadbCapabilities: number;
  /** A flag that changes the wire format which the client chose and the upstream lacks. */
  readonly missing: string | undefined;
}

/**
 * The upstream login uses what the client negotiated, so both sides speak the same packet
 * formats and replies can be relayed byte for byte.
 */
export function upstreamLoginFlags(
  negotiated: number,
  serverFlags: number,
  withDatabase: boolean,
  withAttributes: boolean,
  negotiatedMariadb = 0,
  serverMariadb = 0,
): UpstreamLoginFlags {
  // LOCAL_FILES upstream only: the server then asks Sluice (never the client) for the file of a
  // LOAD DATA LOCAL, and Sluice refuses it with its own error instead of the server's 4166.
  let flags =
    UPSTREAM_REQUIRED |
    Capability.localFiles |
    (negotiated & (PASSED_THROUGH | MIRRORED | Capability.longPassword));
  if (withDatabase) flags |= Capability.connectWithDb;
  if (withAttributes) flags |= Capability.connectAttrs;
  const agreed = (flags & (serverFlags | Capability.longPassword)) >>> 0;
  let missing: string | undefined;
  if (hasCapability(negotiated, Capability.deprecateEof) && !hasCapability(agreed, Capability.deprecateEof)) {
    missing = 'CLIENT_DEPRECATE_EOF';
  } else if (
    hasCapability(negotiated, Capability.sessionTrack) &&
    !hasCapability(agreed, Capability.sessionTrack)
  ) {
    missing = 'CLIENT_SESSION_TRACK';
  }
  const mariadbCapabilities = hasCapability(agreed, Capability.longPassword)
    ? 0
    : (negotiatedMariadb & serverMariadb & MARIADB_MIRRORED) >>> 0;
  if (!missing && mariadbCapabilities !== (negotiatedMariadb & MARIADB_MIRRORED) >>> 0) {
    missing = 'MARIADB_CLIENT_EXTENDED_METADATA';
  }
  return { capabilities: agreed, mariadbCapabilities, missing };
}
