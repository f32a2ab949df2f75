export type { Detector, Finding, TextProfile } from './detectors/detector.js';
export { detectorFor } from './detectors/registry.js';
export { findAll, type MaskedText, maskText } from './mask-text.js';
export { type ColumnLocation, columnMatches, columnPatternProblem } from './rules.js';
export {
  applyStrategy,
  hashToken,
  keepLastFour,
  maskEmail,
  REDACTED,
  strictestStrategy,
} from './strategies.js';
