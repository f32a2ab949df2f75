import type { SecureContext } from 'node:tls';
import type { ConnectionConfig, PolicyConfig } from '@sluice/config';
import type { Control } from '@sluice/control';
import type { Journal } from '@sluice/journal';
import type { SqlAnalyzer } from '@sluice/sql';
import type { Logger } from 'pino';
import type { Authenticator } from './authenticator.js';
import type { MysqlCatalog } from './catalog/mysql-catalog.js';
import type { PostgresCatalog } from './catalog/postgres-catalog.js';
import type { GatewayLimits } from './limits/gateway-limits.js';
import type { RowEstimates } from './postgres/row-estimate.js';
import type { SessionRegistry } from './session-registry.js';
import type { SignInFailureJournal } from './sign-in-failures.js';

/** Everything a connection handler needs from the gateway around it. */
export interface ListenerContext {
  readonly connection: ConnectionConfig;
  readonly journal: Journal;
  readonly authenticator: Authenticator;
  readonly registry: SessionRegistry;
  /** Failed sign-ins, journalled with bursts coalesced. */
  readonly signInFailures: SignInFailureJournal;
  readonly log: Logger;
  readonly tlsContext: SecureContext | undefined;
  readonly serverSecret: Buffer;
  /** Shared by every session, so its cache serves them all. */
  readonly analyzer: SqlAnalyzer;
  /** The policy in force now; a configuration reload replaces it, so read it where it is used. */
  readonly policy: PolicyConfig;
  /** Approvals, grants and the metrics the sessions report. */
  readonly control: Control;
  /** The planner's estimates for approvers (PostgreSQL); absent for MySQL. */
  readonly estimates?: RowEstimates;
  /** Rows per result kept for replay (`journal.record_rows`); 0 keeps none. */
  readonly recordRows: number;
  /** The upstream's catalog, for masking result columns; absent when the policy masks nothing. */
  readonly catalog?: PostgresCatalog;
  /** The same for a MySQL upstream: views followed to base columns, `*` expanded. */
  readonly mysqlCatalog?: MysqlCatalog;
  /** `limits:`, shared by every listener: connection counts and statement rates are gateway-wide. */
  readonly limits: GatewayLimits;
}
