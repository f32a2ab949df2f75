export { type Actor, hasRole, ROLES, type Role, type RoleAudiences, rolesOf, TOKEN_ACTOR } from './actor.js';
export type {
  ApprovalMode,
  ApprovalOutcome,
  ApprovalRequest,
  ApprovalState,
  ApprovalSubject,
  NewApprovalRequest,
} from './approval-types.js';
export { ApprovalBoard } from './approvals.js';
export { type Audience, includes, isEmptyAudience, NOBODY, type Someone } from './audience.js';
export { Control, type GrantRequestSettings, type ReadinessCheck, type ReadinessProbe } from './control.js';
export { ControlError, type ControlErrorCode } from './errors.js';
export type {
  ApprovalAction,
  ControlEvent,
  ControlListener,
  ControlOrigin,
  EveryControlListener,
  GrantAction,
} from './events.js';
export {
  activeGrantsFromRecords,
  type GrantRecord,
  type GrantRecordEntry,
  grantRecord,
} from './grant-records.js';
export {
  GRANT_ALLOWANCES,
  type Grant,
  type GrantAllowance,
  type GrantInput,
  type GrantState,
  grantState,
} from './grant-types.js';
export { GrantBook } from './grants.js';
export { type GatewayMetrics, type MetricDecision, NO_METRICS } from './metrics.js';
export type { ControlStoreStatus, Decision, RemoteControl } from './remote.js';
export { type LiveSessionInfo, NO_SESSIONS, type SessionDirectory } from './sessions.js';
