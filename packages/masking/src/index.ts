export { cellNeedsMasking, maskCell, maskValue } from './apply.js';
export type { Detector, Finding, TextProfile } from './detectors/detector.js';
export { detectorFor } from './detectors/registry.js';
export { type JsonMaskOptions, maskJson } from './json.js';
export { findAll, type MaskedText, maskText } from './mask-text.js';
export { maskMessage } from './message.js';
export { maskPlanFor } from './plan.js';
export { type ColumnLocation, columnMatches, columnPatternProblem } from './rules.js';
export {
  applyStrategy,
  hashToken,
  keepLastFour,
  maskEmail,
  REDACTED,
  strictestStrategy,
} from './strategies.js';
export type {
  ColumnMask,
  ColumnScan,
  JsonKeyRule,
  JsonMask,
  MaskPlan,
  PlanInput,
  ResultColumn,
  ResultColumnSource,
} from './types.js';
export { type ValueKind, valueKindOf } from './value-kinds.js';
