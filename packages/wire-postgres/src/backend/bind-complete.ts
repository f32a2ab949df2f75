import { BackendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** Bind succeeded; the portal exists. */
export type BindComplete = { readonly kind: 'bind-complete' };
export const BindComplete = emptyMessage('bind-complete', BackendCode.bindComplete, 'BindComplete');
