import type { Someone } from './audience.js';
import { ControlError } from './errors.js';
import type { ControlEvents, GrantAction } from './events.js';
import { type Grant, type GrantInput, grantState } from './grant-types.js';
import { shortId } from './ids.js';

/** Expired and revoked grants kept for `grants list --all`. */
const HISTORY_LIMIT = 1000;

/**
 * Time-bound widenings (SPEC §5). Each active grant has one timer that journals its expiry; the
 * policy asks `activeFor` on every statement, so that lookup is a scan of the few active ones.
 */
export class GrantBook {
  private readonly grants = new Map<string, Grant>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Grants another gateway on the shared store created, by id: the gateway that created each. */
  private readonly creators = new Map<string, string>();

  constructor(private readonly events: ControlEvents) {}

  add(input: GrantInput, createdBy: string, requestId: string | null = null): Grant {
    validate(input);
    const createdAt = new Date();
    const grant: Grant = {
      id: shortId('grt'),
      identity: input.identity,
      group: input.group,
      connection: input.connection,
      allow: [...new Set(input.allow)],
      tables: input.tables,
      reason: input.reason,
      createdBy,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + input.durationMs),
      revokedAt: null,
      revokedBy: null,
      requestId,
    };
    this.track(grant);
    this.emit('created', grant, createdBy);
    return grant;
  }

  /** Grants read back from the journal at start; expired ones are ignored, and nothing is journalled. */
  restore(grant: Grant): void {
    if (grantState(grant) === 'active') this.track(grant);
  }

  /**
   * Applies a grant as the shared store holds it: created by another gateway, or revoked
   * elsewhere. Nothing is journalled here (the gateway that made the change has journalled it).
   */
  mirror(grant: Grant, creator: string | null): void {
    const before = this.grants.get(grant.id);
    if (before?.revokedAt) return;
    if (creator !== null) this.creators.set(grant.id, creator);
    if (grant.revokedAt) {
      clearTimeout(this.timers.get(grant.id));
      this.timers.delete(grant.id);
      this.grants.set(grant.id, grant);
      this.events.mirror({ type: 'grant', action: 'revoked', grant, actor: grant.revokedBy });
      return;
    }
    if (before || grantState(grant) !== 'active') return;
    this.track(grant);
    this.events.mirror({ type: 'grant', action: 'created', grant, actor: grant.createdBy });
  }

  /** The gateway that created a mirrored grant; null for this gateway's own. */
  creatorOf(id: string): string | null {
    return this.creators.get(id) ?? null;
  }

  revoke(id: string, actor: string): Grant {
    const grant = this.grants.get(id);
    if (!grant) throw new ControlError('not-found', `no grant ${id}`);
    const state = grantState(grant);
    if (state !== 'active') throw new ControlError('not-pending', `grant ${id} is ${state} already`);
    const revoked = { ...grant, revokedAt: new Date(), revokedBy: actor };
    this.grants.set(id, revoked);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.emit('revoked', revoked, actor);
    return revoked;
  }

  get(id: string): Grant | undefined {
    return this.grants.get(id);
  }

  /** Newest first; only active ones unless `all`. */
  list(options: { readonly all?: boolean } = {}): Grant[] {
    return [...this.grants.values()]
      .filter((grant) => options.all || grantState(grant) === 'active')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  /** The active grants that apply to this caller on this connection. */
  activeFor(caller: Someone, connection: string): Grant[] {
    if (this.timers.size === 0) return [];
    const now = Date.now();
    const found: Grant[] = [];
    for (const id of this.timers.keys()) {
      const grant = this.grants.get(id);
      if (!grant || grant.connection !== connection || grantState(grant, now) !== 'active') continue;
      if (grant.identity === caller.name || (grant.group !== null && caller.groups.includes(grant.group))) {
        found.push(grant);
      }
    }
    return found;
  }

  /** A statement ran under this grant. */
  used(grant: Grant, by: string): void {
    this.emit('used', grant, by);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private track(grant: Grant): void {
    this.grants.set(grant.id, grant);
    const timer = setTimeout(
      () => this.expire(grant.id),
      Math.max(0, grant.expiresAt.getTime() - Date.now()),
    );
    timer.unref();
    this.timers.set(grant.id, timer);
    this.forgetOld();
  }

  /** Every gateway stops applying an expired grant; only the one that created it journals the expiry. */
  private expire(id: string): void {
    this.timers.delete(id);
    const grant = this.grants.get(id);
    if (!grant || grant.revokedAt) return;
    const event = { type: 'grant', action: 'expired', grant, actor: null } as const;
    if (this.creators.has(id)) this.events.mirror(event);
    else this.events.emit(event);
  }

  private forgetOld(): void {
    if (this.grants.size <= HISTORY_LIMIT + this.timers.size) return;
    for (const id of this.grants.keys()) {
      if (this.grants.size <= HISTORY_LIMIT + this.timers.size) return;
      if (this.timers.has(id)) continue;
      this.grants.delete(id);
      this.creators.delete(id);
    }
  }

  private emit(action: GrantAction, grant: Grant, actor: string | null): void {
    this.events.emit({ type: 'grant', action, grant, actor });
  }
}

function validate(input: GrantInput): void {
  if ((input.identity === null) === (input.group === null)) {
    throw new ControlError('invalid', 'a grant names exactly one identity or one group');
  }
  if (input.allow.length === 0)
    throw new ControlError('invalid', 'a grant allows at least one of write, ddl, approve-free');
  if (!(input.durationMs > 0)) throw new ControlError('invalid', 'a grant needs a positive duration');
  if (input.reason.trim() === '') throw new ControlError('reason-required', 'a grant needs a reason');
}
