import { BackendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';
import {
  type NoticeFields,
  type NoticeFieldsInput,
  readNoticeFields,
  writeNoticeFields,
} from './notice-fields.js';

/** A warning or notice; same layout as ErrorResponse, but the command goes on. */
export interface NoticeResponse {
  readonly kind: 'notice-response';
  readonly fields: NoticeFields;
}

export interface NoticeResponseCodec extends MessageCodec<NoticeResponse> {
  encode(message: { readonly kind: 'notice-response'; readonly fields: NoticeFieldsInput }): Buffer;
}

export const NoticeResponse: NoticeResponseCodec = {
  code: BackendCode.noticeResponse,
  is: kindGuard<NoticeResponse>('notice-response'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.noticeResponse, 'NoticeResponse');
    return { kind: 'notice-response', fields: readNoticeFields(reader) };
  },
  encode(message) {
    return writeNoticeFields(FrameWriter.typed(BackendCode.noticeResponse), message.fields, 'NoticeResponse');
  },
};
