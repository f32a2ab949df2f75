import { FrontendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** End of a COPY data stream; the same bytes in both directions. */
export type CopyDone = { readonly kind: 'copy-done' };
export const CopyDone = emptyMessage('copy-done', FrontendCode.copyDone, 'CopyDone');
