export * from './auth/index.js';
export {
  type BinaryEncoding,
  binaryEncodingOf,
} from './binary-value.js';
export {
  AuthPlugin,
  CachingSha2Marker,
  Capability,
  CharacterSet,
  ColumnFlag,
  ColumnType,
  Command,
  CursorType,
  ErrorCode,
  hasCapability,
  MAX_PACKET_PAYLOAD,
  MariadbCapability,
  PACKET_HEADER_BYTES,
  PacketHeader,
  type ServerError,
  ServerStatus,
  SessionTrackType,
  SetOption,
  UNSIGNED_PARAMETER_FLAG,
} from './codes.js';
export {
  COMPRESSED_HEADER_BYTES,
  type CompressedFrame,
  CompressedFrameSplitter,
  decodeCompressedFrame,
  encodeCompressedFrame,
  encodeCompressedFrames,
  MAX_COMPRESSED_FRAME_PAYLOAD,
  MIN_COMPRESS_LENGTH,
} from './compressed-frame.js';
export type { ConnectAttributes } from './connect-attributes.js';
export { MysqlWireError, type MysqlWireErrorCode } from './errors.js';
export {
  encodePackets,
  nextSequenceId,
  type Packet,
  PacketSplitter,
  type PacketSplitterOptions,
} from './frame.js';
export type { CapabilityContext, CommandCodec, PacketCodec } from './packet-codec.js';
export * as packets from './packets/index.js';
export { errPacket } from './packets/index.js';
export {
  type BoundParameter,
  LONG_DATA,
  type ParameterType,
  type ParameterValue,
} from './parameter-block.js';
export { LenencPrefix, PayloadReader } from './reader.js';
export { decodeSessionStateChanges, type SessionStateChange } from './session-state.js';
export { PayloadWriter } from './writer.js';
