import type { LimitsConfig } from '@sluice/config';
import { ConnectionAdmission } from './admission.js';
import { StatementRate } from './statement-rate.js';

/** The state behind `limits:`, shared by every listener of one gateway. */
export class GatewayLimits {
  readonly admission: ConnectionAdmission;
  /** Null when `limits.statements_per_second` is off. */
  readonly statementRate: StatementRate | null;

  constructor(readonly config: LimitsConfig) {
    this.admission = new ConnectionAdmission(config.maxConnections, config.maxConnectionsPerIdentity);
    this.statementRate =
      config.statementsPerSecond === null
        ? null
        : new StatementRate(config.statementsPerSecond, config.statementBurst ?? 1);
  }
}
