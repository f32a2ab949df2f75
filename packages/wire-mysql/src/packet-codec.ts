import { PayloadReader } from './reader.js';
import { PayloadWriter } from './writer.js';

/**
 * What every packet's companion const offers. Codecs work on payloads (no header): framing and
 * sequence ids belong to `PacketSplitter` / `encodePackets`. `C` is what decoding needs besides
 * the bytes (negotiated capabilities, column types, a parameter count); `void` when nothing.
 */
export interface PacketCodec<M extends { readonly kind: string }, C = void> {
  is(message: { readonly kind: string }): message is M;
  /** Throws MysqlWireError 'malformed' when the payload is truncated or inconsistent. */
  decode(payload: Buffer, context: C): M;
  /** Throws MysqlWireError 'malformed' when the message cannot be put on the wire as given. */
  encode(message: M, context: C): Buffer;
}

/** A client command: the codec also names its command byte. */
export interface CommandCodec<M extends { readonly kind: string }, C = void> extends PacketCodec<M, C> {
  readonly command: number;
}

/**
 * The capabilities a payload was written under. A HandshakeResponse41 or SslRequest satisfies it,
 * so the client's declared flags can be passed as they are.
 */
export interface CapabilityContext {
  readonly capabilities: number;
  readonly mariadbCapabilities: number;
}

export function kindGuard<M extends { readonly kind: string }>(
  kind: M['kind'],
): (message: { readonly kind: string }) => message is M {
  return (message): message is M => message.kind === kind;
}

/** Reads the command byte of a command packet and checks it. */
export function commandReader(payload: Buffer, command: number, packetName: string): PayloadReader {
  const reader = new PayloadReader(payload, packetName);
  const actual = reader.uint8();
  if (actual !== command) {
    throw reader.malformed(`expected command 0x${command.toString(16)}, got 0x${actual.toString(16)}`);
  }
  return reader;
}

/** Commands that are only their command byte (COM_PING, COM_QUIT, ...). */
export function bareCommand<K extends string>(
  kind: K,
  command: number,
  packetName: string,
): CommandCodec<{ readonly kind: K }> {
  return {
    command,
    is: kindGuard<{ readonly kind: K }>(kind),
    decode(payload) {
      commandReader(payload, command, packetName).end();
      return { kind };
    },
    encode() {
      return new PayloadWriter(1).uint8(command).finish();
    },
  };
}

/** Commands that are the command byte and a statement id (COM_STMT_CLOSE, COM_STMT_RESET). */
export function statementCommand<K extends string>(
  kind: K,
  command: number,
  packetName: string,
): CommandCodec<{ readonly kind: K; readonly statementId: number }> {
  return {
    command,
    is: kindGuard<{ readonly kind: K; readonly statementId: number }>(kind),
    decode(payload) {
      const reader = commandReader(payload, command, packetName);
      const statementId = reader.uint32();
      reader.end();
      return { kind, statementId };
    },
    encode(message) {
      return new PayloadWriter(5).uint8(command).uint32(message.statementId).finish();
    },
  };
}
