import { BackendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** Close succeeded (also when nothing by that name existed). */
export type CloseComplete = { readonly kind: 'close-complete' };
export const CloseComplete = emptyMessage('close-complete', BackendCode.closeComplete, 'CloseComplete');
