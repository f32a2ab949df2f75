export {
  applyStrategy,
  hashToken,
  keepLastFour,
  maskEmail,
  REDACTED,
  strictestStrategy,
} from './strategies.js';
