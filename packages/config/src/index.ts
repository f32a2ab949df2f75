export { type AddressRange, formatAddressRange, parseAddressRange } from './address-range.js';
export { columnPatternProblem } from './column-pattern.js';
export { DURATION_EXAMPLE, parseDuration } from './duration.js';
export { formatListenAddress, type ListenAddress, parseListenAddress } from './listen-address.js';
export { loadConfig, parseConfig } from './load.js';
export { type ConfigProblem, type ConfigResult, formatProblem } from './problems.js';
export { STRICT_MAX_STATEMENT_MS } from './schema/policy.js';
export { Secret } from './secret.js';
export {
  type AdminConfig,
  APPROVAL_MODES,
  type ApprovalConfig,
  type ApprovalMode,
  type AudienceConfig,
  type ColumnMaskConfig,
  type ConnectionConfig,
  type ConsoleOidcConfig,
  DETECTORS,
  type DetectorName,
  type ForwardTarget,
  GUARDRAIL_LEVELS,
  type GuardrailLevel,
  JOURNAL_SYNC_MODES,
  type JournalConfig,
  type JournalSyncMode,
  type LimitsConfig,
  MASKING_STRATEGIES,
  type MaskingConfig,
  type MaskingStrategy,
  type OidcIssuerConfig,
  type PolicyConfig,
  type Protocol,
  RULE_ACTIONS,
  type RuleAction,
  type RuleApprovalConfig,
  type RuleConfig,
  type RuleMatch,
  type SluiceConfig,
  SSL_MODES,
  type SslMode,
  STATEMENT_KINDS,
  type StatementKind,
  type TlsFiles,
  type UpstreamConfig,
  WEBHOOK_FORMATS,
  type WebhookConfig,
  type WebhookFormat,
} from './types.js';
