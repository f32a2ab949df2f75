// CopyDone is the same message with the same type byte in both directions.
export { CopyDone } from '../frontend/copy-done.js';
