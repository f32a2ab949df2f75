import { BackendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** Describe found no result columns (the statement returns no rows). */
export type NoData = { readonly kind: 'no-data' };
export const NoData = emptyMessage('no-data', BackendCode.noData, 'NoData');
