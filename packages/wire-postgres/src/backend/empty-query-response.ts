import { BackendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** The query string was empty; replaces CommandComplete. */
export type EmptyQueryResponse = { readonly kind: 'empty-query-response' };
export const EmptyQueryResponse = emptyMessage(
  'empty-query-response',
  BackendCode.emptyQueryResponse,
  'EmptyQueryResponse',
);
