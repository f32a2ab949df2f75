import type { Decision, StatementRecord } from '@sluice/journal';
import type { Period } from './period.js';

/** A table as every format shows it. */
export interface ReportTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** Rows left out of a long table. */
  readonly omitted?: number;
}

/** One control's evidence: what is enforced, the figures, the tables, an example. */
export interface ControlSection {
  readonly control: string;
  readonly title: string;
  readonly enforced: string;
  readonly facts: readonly { readonly label: string; readonly value: string | number }[];
  readonly tables: readonly ReportTable[];
  /** A record in full (AU-3). */
  readonly example?: StatementRecord;
}

export type Severity = 'high' | 'medium' | 'low';

/** Something an assessor should look at, with the records that show it. */
export interface Finding {
  readonly id: string;
  readonly severity: Severity;
  readonly control: string;
  readonly title: string;
  readonly detail: string;
  /** Seqs of the records behind the finding (the first ones, when there are many). */
  readonly records: readonly number[];
}

export type DecisionCounts = Record<Decision, number>;

export interface DayCounts {
  readonly day: string;
  readonly decisions: DecisionCounts;
}

/** The figures a test or a tool checks against the journal, in the JSON form. */
export interface ReportCounts {
  /** Records in the period by type (statement, statement_end, session_start, …). */
  readonly recordsByType: Readonly<Record<string, number>>;
  readonly statements: number;
  readonly statementsByDecision: DecisionCounts;
  readonly statementsByKind: Readonly<Record<string, number>>;
  readonly signInsByMethod: Readonly<Record<string, number>>;
  /** Failed sign-ins, each coalesced burst counted by its `count`. */
  readonly failedSignIns: number;
  readonly failedSignInsByCause: Readonly<Record<string, number>>;
  readonly accountEvents: number;
  readonly grantEvents: number;
  readonly approvalRequests: number;
  readonly adminCalls: number;
  readonly purges: number;
}

export interface ChainStatus {
  readonly ok: boolean;
  readonly checked: number;
  readonly problems: readonly { readonly seq: number; readonly message: string }[];
  readonly problemsInPeriod: number;
  readonly headSeq: number | null;
  readonly headHash: string | null;
  readonly purgedThrough: number | null;
}

export interface Report {
  readonly title: string;
  readonly generatedAt: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly journal: {
    readonly path: string;
    readonly records: number;
    readonly oldest: string | null;
    readonly newest: string | null;
  };
  readonly chain: ChainStatus;
  readonly findings: readonly Finding[];
  readonly counts: ReportCounts;
  readonly charts: {
    readonly days: readonly DayCounts[];
    readonly topIdentities: readonly { readonly identity: string; readonly statements: number }[];
  };
  readonly sections: readonly ControlSection[];
  /** The records the findings name, so that each link lands on what it points at. */
  readonly referencedRecords: readonly ReferencedRecord[];
}

export interface ReferencedRecord {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly summary: string;
}

export interface ReportPeriod extends Period {}
