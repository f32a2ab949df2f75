import { BackendCode } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** A NOTIFY on a channel this session LISTENs to; `processId` is the notifying backend. */
export interface NotificationResponse {
  readonly kind: 'notification-response';
  readonly processId: number;
  readonly channel: string;
  readonly payload: string;
}

export const NotificationResponse: MessageCodec<NotificationResponse> = {
  code: BackendCode.notificationResponse,
  is: kindGuard<NotificationResponse>('notification-response'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.notificationResponse, 'NotificationResponse');
    const processId = reader.int32();
    const channel = reader.cstring();
    const payload = reader.cstring();
    reader.end();
    return { kind: 'notification-response', processId, channel, payload };
  },
  encode(message) {
    return FrameWriter.typed(
      BackendCode.notificationResponse,
      6 + message.channel.length + message.payload.length,
    )
      .int32(message.processId)
      .cstring(message.channel)
      .cstring(message.payload)
      .finish();
  },
};
