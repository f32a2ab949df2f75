import { FrontendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** Asks the server to send what it has buffered, without ending the batch. */
export type Flush = { readonly kind: 'flush' };
export const Flush = emptyMessage('flush', FrontendCode.flush, 'Flush');
