// CopyData is the same message with the same type byte in both directions.
export { CopyData } from '../frontend/copy-data.js';
