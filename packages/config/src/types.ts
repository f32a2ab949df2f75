import type { AddressRange } from './address-range.js';
import type { ListenAddress } from './listen-address.js';
import type { Secret } from './secret.js';

export type Protocol = 'postgres' | 'mysql';

export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface UpstreamConfig {
  readonly protocol: Protocol;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly password: Secret | undefined;
  readonly sslMode: SslMode;
  /** Absolute path, from `?sslrootcert=` in the upstream URL. */
  readonly sslRootCert: string | undefined;
}

/** Absolute paths of the PEM files the gateway presents to clients. */
export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
}

export interface ConnectionConfig {
  readonly name: string;
  readonly protocol: Protocol;
  readonly listen: ListenAddress;
  /**
   * Balancers whose connections start with a PROXY protocol header naming their client, who is
   * then the session's client address (journal, sign-in throttle). Empty: no header is read.
   */
  readonly proxyProtocolFrom: readonly AddressRange[];
  readonly upstream: UpstreamConfig;
  readonly tls: TlsFiles | undefined;
  readonly policy: string | undefined;
}

export interface OidcIssuerConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string | undefined;
  /** Absolute path. */
  readonly jwksFile: string | undefined;
  readonly groupsClaim: string;
  readonly identityClaim: 'sub' | 'email';
}

export const STATEMENT_KINDS = [
  'select',
  'insert',
  'update',
  'delete',
  'merge',
  'ddl',
  'dcl',
  'tcl',
  'copy',
  'call',
  'set',
  'show',
  'other',
] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export const RULE_ACTIONS = ['allow', 'block', 'approve'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export interface RuleMatch {
  readonly identities?: readonly string[];
  readonly groups?: readonly string[];
  readonly connections?: readonly string[];
  readonly kind?: readonly StatementKind[];
  readonly tables?: readonly string[];
  readonly functions?: readonly string[];
}

export const APPROVAL_MODES = ['hold', 'ticket'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** Identities by name and groups by name: who approves, who administers. */
export interface AudienceConfig {
  readonly identities: readonly string[];
  readonly groups: readonly string[];
}

/** A rule's own approval settings; absent fields come from the policy's `approval`. */
export interface RuleApprovalConfig {
  readonly mode: ApprovalMode | undefined;
  readonly timeoutMs: number | undefined;
  readonly ticketTtlMs: number | undefined;
  readonly minApprovals: number | undefined;
  readonly approvers: AudienceConfig | undefined;
}

export interface RuleConfig {
  readonly name: string;
  readonly match: RuleMatch;
  readonly action: RuleAction;
  readonly approval?: RuleApprovalConfig | undefined;
}

export const MASKING_STRATEGIES = ['redact', 'email', 'last4', 'hash', 'null'] as const;
export type MaskingStrategy = (typeof MASKING_STRATEGIES)[number];

export const DETECTORS = ['email', 'credit_card', 'us_ssn', 'phone', 'iban', 'secret'] as const;
export type DetectorName = (typeof DETECTORS)[number];

export interface ColumnMaskConfig {
  readonly match: string;
  readonly strategy: MaskingStrategy;
}

export interface MaskingConfig {
  readonly columns: readonly ColumnMaskConfig[];
  readonly detectors: readonly DetectorName[];
  readonly exempt: { readonly groups: readonly string[] };
  readonly hashKey: Secret | undefined;
}

export interface ApprovalConfig {
  readonly mode: ApprovalMode;
  readonly timeoutMs: number;
  readonly ticketTtlMs: number;
  readonly minApprovals: number;
  /** Who may approve this policy's requests; absent means `admin.approvers`. */
  readonly approvers: AudienceConfig | undefined;
  readonly webhook: string | undefined;
}

export const GUARDRAIL_LEVELS = ['strict', 'standard', 'off'] as const;
export type GuardrailLevel = (typeof GUARDRAIL_LEVELS)[number];

export interface PolicyConfig {
  readonly name: string;
  readonly guardrails: GuardrailLevel;
  /** Sluice cancels a statement upstream once it has run this long; null for no limit. */
  readonly maxStatementTimeMs: number | null;
  readonly rules: readonly RuleConfig[];
  readonly default: RuleAction;
  readonly masking: MaskingConfig | undefined;
  readonly approval: ApprovalConfig | undefined;
}

export const JOURNAL_SYNC_MODES = ['none', 'always'] as const;
export type JournalSyncMode = (typeof JOURNAL_SYNC_MODES)[number];

export interface JournalConfig {
  /** Absolute path of the SQLite file. */
  readonly path: string;
  readonly retentionMs: number;
  /** `none`: records survive a crash of the gateway; `always`: fdatasync per append, they survive power loss. */
  readonly sync: JournalSyncMode;
  /** New statements are refused once the journal's disk has less free space than this (0: no floor). */
  readonly minFreeBytes: number;
  readonly recordRows: number;
  /** SIEM destinations every record is sent to (`journal.forward`). */
  readonly forward: readonly ForwardTarget[];
  /**
   * The shared PostgreSQL store of several gateways (`journal.store`); absent: the SQLite file
   * at `path` is the store.
   */
  readonly store: UpstreamConfig | undefined;
  /** This gateway's name in a shared store: its chain and its control state are kept under it. */
  readonly gatewayId: string;
}

/** `syslog+tcp://`, `syslog+tls://` (RFC 5424, octet-counted) or `http(s)://` (JSON). */
export interface ForwardTarget {
  readonly url: string;
  /** Bearer token for HTTP receivers. */
  readonly secret: Secret | undefined;
  /** CA file for a TLS receiver whose certificate is not signed by a public CA. */
  readonly ca: string | undefined;
}

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export interface WebhookConfig {
  readonly url: string;
  readonly format: WebhookFormat;
  /** Signs each delivery (HMAC-SHA256 of the body) in the X-Sluice-Signature header. */
  readonly secret: Secret | undefined;
}

export interface AdminConfig {
  readonly listen: ListenAddress;
  /**
   * HTTP proxies whose `X-Forwarded-For` names the caller, who is then the address journalled
   * with each admin call. Empty: the connection's own address.
   */
  readonly forwardedFrom: readonly AddressRange[];
  readonly token: Secret | undefined;
  readonly tls: TlsFiles | undefined;
  readonly admins: AudienceConfig;
  readonly approvers: AudienceConfig;
  readonly auditors: AudienceConfig;
  readonly webhooks: readonly WebhookConfig[];
  /** The console's OIDC sign-in (authorization code + PKCE); absent: sign in with a token. */
  readonly oidc: ConsoleOidcConfig | undefined;
}

export interface ConsoleOidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** From the issuer's discovery document when not set. */
  readonly authorizationEndpoint: string | undefined;
  readonly tokenEndpoint: string | undefined;
}

/** Gateway-wide limits (`limits:`); null means off. */
export interface LimitsConfig {
  /** Client connections open at once, signed in or not. */
  readonly maxConnections: number | null;
  /** Sessions of one identity open at once, across connections. */
  readonly maxConnectionsPerIdentity: number | null;
  /** Statements per second per identity (token bucket refill rate). */
  readonly statementsPerSecond: number | null;
  /** Statements an identity may send at once before the rate applies (bucket size). */
  readonly statementBurst: number | null;
  /** Time from accept to a signed-in session: TLS, startup and authentication together. */
  readonly handshakeTimeoutMs: number;
  /** A session with nothing running and no client input for this long is ended. */
  readonly idleSessionTimeoutMs: number | null;
  /** Approval requests of one identity waiting at once. */
  readonly maxPendingApprovalsPerIdentity: number | null;
  /** Largest message (PostgreSQL) or packet (MySQL) a signed-in client may send. */
  readonly maxMessageBytes: number;
  /** Largest statement text judged; longer ones are refused without being parsed. */
  readonly maxStatementBytes: number;
  /** Largest row Sluice holds to mask it; a larger one ends the statement with an error. */
  readonly maxMaskedRowBytes: number;
}

export interface SluiceConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  readonly journal: JournalConfig;
  readonly admin: AdminConfig | undefined;
  readonly identity: { readonly oidc: readonly OidcIssuerConfig[] };
  /** In YAML order. */
  readonly connections: readonly ConnectionConfig[];
  readonly policies: ReadonlyMap<string, PolicyConfig>;
  readonly limits: LimitsConfig;
}
