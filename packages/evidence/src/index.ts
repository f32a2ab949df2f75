export {
  type AnchorCheck,
  type AnchorFile,
  createAnchor,
  generateAnchorKey,
  verifyAnchor,
} from './anchor.js';
export { buildReport, type ReportOptions, settingsFromConfig } from './build-report.js';
export { EvidenceError, type EvidenceErrorCode } from './errors.js';
export { type ExportFormat, exportStatements } from './export.js';
export { cursorPath } from './forward/cursor.js';
export { type ForwarderOptions, JournalForwarder, startForwarding } from './forward/forwarder.js';
export { octetCounted, syslogMessage } from './forward/syslog-message.js';
export { type Period, type PeriodOptions, parseInstant, parsePeriod } from './period.js';
export { REPORT_FORMATS, type ReportFormat, renderReport } from './render/index.js';
export type { ReportSettings } from './report-context.js';
export type { ControlSection, Finding, Report, ReportCounts, ReportTable } from './report-types.js';
export { purgeOlderThan, scheduleRetention } from './retention.js';
export { type RecordSearch, type SearchPage, searchJournal } from './search.js';
