import { BackendCode } from '../codes.js';
import { type CopyResponseFields, copyResponse } from './copy-response.js';

/** The server is ready for COPY FROM STDIN data. */
export interface CopyInResponse extends CopyResponseFields {
  readonly kind: 'copy-in-response';
}

export const CopyInResponse = copyResponse('copy-in-response', BackendCode.copyInResponse, 'CopyInResponse');
