/** A live session as `sessions list` and the console show it. */
export interface LiveSessionInfo {
  readonly id: string;
  readonly identity: string;
  readonly groups: readonly string[];
  readonly connection: string;
  readonly protocol: 'postgres' | 'mysql' | 'mcp';
  readonly clientAddress: string;
  readonly startedAt: Date;
  readonly statements: number;
  readonly state: 'idle' | 'running' | 'held' | 'in-transaction';
  /** The statement running or held now. */
  readonly current: { readonly text: string; readonly since: Date } | null;
  /** The approval request the session waits on, if any. */
  readonly heldBy: string | null;
  /** Another gateway sharing the store, which serves this session; absent for this gateway's own. */
  readonly gateway?: string;
}

/** The gateway's live sessions, as the admin API sees them. */
export interface SessionDirectory {
  list(): LiveSessionInfo[];
  /**
   * Ends the session within a second, upstream too; false when there is no such session here
   * (another gateway's session ends through `Control.killSession`).
   */
  kill(id: string, reason: string): boolean;
  /** Ends every session of an identity (revocation); returns how many. */
  terminateIdentity(identity: string, reason: string): number;
}

export const NO_SESSIONS: SessionDirectory = {
  list: () => [],
  kill: () => false,
  terminateIdentity: () => 0,
};
