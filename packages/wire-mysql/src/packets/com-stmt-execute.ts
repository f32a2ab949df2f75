/**
 * COM_STMT_EXECUTE. Its layout depends on state the packet does not carry: the statement's
 * parameter count (from COM_STMT_PREPARE_OK), the types bound by the previous execute when the
 * client does not resend them, and which parameters were sent as long data. MariaDB also accepts
 * statement id 0xFFFFFFFF for "the statement prepared last".
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html
 * https://mariadb.com/kb/en/com_stmt_execute/
 */
import { Capability, Command, CursorType, hasCapability } from '../codes.js';
import { type CapabilityContext, type CommandCodec, commandReader, kindGuard } from '../packet-codec.js';
import {
  type BoundParameter,
  type ParameterType,
  readParameterBlock,
  writeParameterBlock,
} from '../parameter-block.js';
import { encodeError, PayloadWriter } from '../writer.js';

export interface ComStmtExecute {
  readonly kind: 'com-stmt-execute';
  readonly statementId: number;
  /** `CursorType` flags. */
  readonly flags: number;
  /** Always 1 in practice. */
  readonly iterationCount: number;
  /** False when the client relies on the types it bound in an earlier execute. */
  readonly newParamsBound: boolean;
  /** The statement's parameters, then (with CLIENT_QUERY_ATTRIBUTES) named query attributes. */
  readonly parameters: readonly BoundParameter[];
}

export interface ComStmtExecuteContext extends CapabilityContext {
  /** The statement's parameter count from COM_STMT_PREPARE_OK. */
  readonly parameterCount: number;
  /** Types bound by the previous execute of this statement, needed when they are not resent. */
  readonly boundTypes?: readonly ParameterType[] | null;
  /** Parameter indexes sent with COM_STMT_SEND_LONG_DATA since the last execute or reset. */
  readonly longDataParameters?: ReadonlySet<number>;
}

const NO_LONG_DATA: ReadonlySet<number> = new Set();

export const ComStmtExecute: CommandCodec<ComStmtExecute, ComStmtExecuteContext> = {
  command: Command.stmtExecute,
  is: kindGuard<ComStmtExecute>('com-stmt-execute'),
  decode(payload, context) {
    const reader = commandReader(payload, Command.stmtExecute, 'ComStmtExecute');
    const statementId = reader.uint32();
    const flags = reader.uint8();
    const iterationCount = reader.uint32();
    const withNames = hasCapability(context.capabilities, Capability.queryAttributes);
    let count = context.parameterCount;
    let block: ReturnType<typeof readParameterBlock> = { newParamsBound: false, parameters: [] };
    if (hasCountField(count, withNames, flags)) {
      if (withNames) count = reader.lenencInt();
      if (count > 0) {
        block = readParameterBlock(reader, {
          count,
          withNames,
          boundTypes: context.boundTypes ?? null,
          longDataParameters: context.longDataParameters ?? NO_LONG_DATA,
        });
      }
    }
    reader.end();
    return { kind: 'com-stmt-execute', statementId, flags, iterationCount, ...block };
  },
  encode(message, context) {
    const withNames = hasCapability(context.capabilities, Capability.queryAttributes);
    const count = message.parameters.length;
    if (!withNames && count !== context.parameterCount) {
      throw encodeError(`${count} parameters for a statement that takes ${context.parameterCount}`);
    }
    const writer = new PayloadWriter(16 + count * 12)
      .uint8(Command.stmtExecute)
      .uint32(message.statementId)
      .uint8(message.flags)
      .uint32(message.iterationCount);
    if (hasCountField(context.parameterCount, withNames, message.flags)) {
      if (withNames) writer.lenencInt(count);
      if (count > 0) writeParameterBlock(writer, message, withNames);
    } else if (count > 0) {
      throw encodeError('parameters given for a statement that takes none');
    }
    return writer.finish();
  },
};

/** Whether anything follows the iteration count. */
function hasCountField(parameterCount: number, withNames: boolean, flags: number): boolean {
  return parameterCount > 0 || (withNames && (flags & CursorType.parameterCountAvailable) !== 0);
}
