import { BackendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** Parse succeeded. */
export type ParseComplete = { readonly kind: 'parse-complete' };
export const ParseComplete = emptyMessage('parse-complete', BackendCode.parseComplete, 'ParseComplete');
