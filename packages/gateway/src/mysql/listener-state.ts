import { generateKeyPair } from 'node:crypto';
import type { UpstreamConfig } from '@sluice/config';
import { Capability, CharacterSet, Command, encodePackets, type packets } from '@sluice/wire-mysql';
import type { Logger } from 'pino';
import { FIRST_THREAD_ID, PROFILE_WAIT_MS } from './limits.js';
import { connectUpstream } from './upstream.js';
import { profileOf, type UpstreamProfile } from './upstream-profile.js';

export interface RsaKeyPair {
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

/** A session's thread ids: the one its client was given and the upstream's. */
export interface ThreadIds {
  readonly identityName: string;
  readonly upstreamThreadId: number;
  /** Withdraws the session's statement held for approval, if any: a KILL names nothing running. */
  readonly withdrawHeld?: (reason: string) => void;
}

export const PROBE_CAPABILITIES =
  Capability.longPassword |
  Capability.protocol41 |
  Capability.secureConnection |
  Capability.pluginAuth |
  Capability.pluginAuthLenencClientData |
  Capability.transactions;
export const PROBE_MAX_PACKET_BYTES = 16 * 1024 * 1024;

/**
 * What the sessions of one MySQL listener share: the profile of the upstream server shown in
 * greetings, the RSA key pair for caching_sha2_password's full authentication, and the thread
 * ids handed to clients.
 */
export class MysqlListenerState {
  private profile: UpstreamProfile | undefined;
  private readonly firstLook: Promise<void>;
  private keys: Promise<RsaKeyPair> | undefined;
  private nextThreadId = FIRST_THREAD_ID;
  private readonly threads = new Map<number, ThreadIds>();

  constructor(
    private readonly upstream: UpstreamConfig,
    private readonly log: Logger,
  ) {
    this.firstLook = this.probe();
  }

  /**
   * The upstream as last seen. Before the first look has finished, waits for it a little: a
   * greeting that names the real server version keeps drivers' feature checks right.
   */
  async currentProfile(): Promise<UpstreamProfile | undefined> {
    if (this.profile) return this.profile;
    await Promise.race([
      this.firstLook,
      new Promise((resolve) => setTimeout(resolve, PROFILE_WAIT_MS).unref()),
    ]);
    return this.profile;
  }

  learn(greeting: packets.InitialHandshake): void {
    this.profile = profileOf(greeting);
  }

  /** Generated once, on first need: only clients without TLS and without a cached verifier need it. */
  rsaKeyPair(): Promise<RsaKeyPair> {
    this.keys ??= new Promise((resolve, reject) =>
      generateKeyPair(
        'rsa',
        {
          modulusLength: 2048,
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        },
        (error, publicKeyPem, privateKeyPem) =>
          error ? reject(error) : resolve({ publicKeyPem, privateKeyPem }),
      ),
    );
    return this.keys;
  }

  allocateThreadId(): number {
    const id = this.nextThreadId;
    this.nextThreadId = this.nextThreadId >= 0xffffffff ? FIRST_THREAD_ID : this.nextThreadId + 1;
    return id;
  }

  registerThread(threadId: number, ids: ThreadIds): void {
    this.threads.set(threadId, ids);
  }

  releaseThread(threadId: number): void {
    this.threads.delete(threadId);
  }

  /** A client's session may name its own other sessions in KILL; others' ids mean nothing to it. */
  upstreamThreadOf(threadId: number, identityName: string): number | undefined {
    const thread = this.threads.get(threadId);
    return thread && thread.identityName === identityName ? thread.upstreamThreadId : undefined;
  }

  /** A KILL of one of the identity's own threads withdraws the statement it holds for approval. */
  withdrawHeld(threadId: number, identityName: string, reason: string): void {
    const thread = this.threads.get(threadId);
    if (thread && thread.identityName === identityName) thread.withdrawHeld?.(reason);
  }

  /**
   * Whether a thread id, as Sluice gave it out or as the server reports it (`CONNECTION_ID()`), is
   * a session of this identity through this listener: drivers cancel a statement with `KILL QUERY`
   * on a second connection of their own. Asked only for KILL, so a scan of the threads is enough.
   */
  ownsThread(id: number, identityName: string): boolean {
    let owner = this.threads.get(id);
    if (owner === undefined)
      for (const ids of this.threads.values()) if (ids.upstreamThreadId === id) owner = ids;
    return owner !== undefined && owner.identityName === identityName;
  }

  /**
   * A login with Sluice's own credentials when the listener starts, so that the first clients
   * are greeted with the server's version and capabilities. Never caused by a client, so a
   * failed client login still reaches nothing.
   */
  private async probe(): Promise<void> {
    try {
      const upstream = await connectUpstream(this.upstream, {
        capabilities: PROBE_CAPABILITIES,
        characterSet: CharacterSet.utf8mb4GeneralCi,
        maxPacketSize: PROBE_MAX_PACKET_BYTES,
        database: this.upstream.database,
        connectAttributes: null,
      });
      this.profile ??= profileOf(upstream.greeting);
      upstream.reader.detach();
      upstream.socket.on('error', () => undefined);
      upstream.socket.end(encodePackets(Buffer.from([Command.quit]), 0));
    } catch (error) {
      this.log.warn(
        {
          upstream: `${this.upstream.host}:${this.upstream.port}`,
          reason: error instanceof Error ? error.message : String(error),
        },
        'cannot reach the MySQL upstream yet; greeting with defaults until a session logs in',
      );
    }
  }
}
