export { cellNeedsMasking, maskCell, maskValue } from './apply.js';
export type { Detector, Finding, TextProfile } from './detectors/detector.js';
export { detectorFor } from './detectors/registry.js';
export { type JsonMaskOptions, maskJson } from './json.js';
export { findAll, type MaskedText, maskText, mayFindAny } from './mask-text.js';
export { maskMessage } from './message.js';
export { maskNumber, numberCarries } from './numbers.js';
export { maskPlanFor } from './plan.js';
export { type ColumnLocation, columnMatches, columnPatternProblem } from './rules.js';
export { elementMask } from './shape.js';
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
export { numberDigitsOf, type ValueKind, valueKindOf } from './value-kinds.js';
