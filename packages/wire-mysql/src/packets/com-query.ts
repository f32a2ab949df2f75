/**
 * COM_QUERY: a text query, possibly several statements. With CLIENT_QUERY_ATTRIBUTES (MySQL 8)
 * named, typed attributes come before the text.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html
 */
import { Capability, Command, hasCapability } from '../codes.js';
import { type CapabilityContext, type CommandCodec, commandReader, kindGuard } from '../packet-codec.js';
import {
  type BoundParameter,
  LONG_DATA,
  readParameterBlock,
  writeParameterBlock,
} from '../parameter-block.js';
import { encodeError, PayloadWriter } from '../writer.js';

export interface ComQuery {
  readonly kind: 'com-query';
  /** The SQL text, read as UTF-8. */
  readonly query: string;
  /** Query attributes; always empty unless CLIENT_QUERY_ATTRIBUTES is negotiated. */
  readonly attributes: readonly BoundParameter[];
}

const PARAMETER_SET_COUNT = 1;
const NO_LONG_DATA: ReadonlySet<number> = new Set();

/** Without a context, no query attributes are expected (MariaDB never negotiates them). */
// biome-ignore lint/suspicious/noConfusingVoidType: void, unlike undefined, lets callers leave the context out
export const ComQuery: CommandCodec<ComQuery, CapabilityContext | void> = {
  command: Command.query,
  is: kindGuard<ComQuery>('com-query'),
  decode(payload, context) {
    const reader = commandReader(payload, Command.query, 'ComQuery');
    let attributes: readonly BoundParameter[] = [];
    if (context && hasCapability(context.capabilities, Capability.queryAttributes)) {
      const count = reader.lenencInt();
      const sets = reader.lenencInt();
      if (sets !== PARAMETER_SET_COUNT) throw reader.malformed(`parameter set count ${sets} is not 1`);
      if (count > 0) {
        const block = readParameterBlock(reader, {
          count,
          withNames: true,
          boundTypes: null,
          longDataParameters: NO_LONG_DATA,
        });
        attributes = block.parameters;
      }
    }
    return { kind: 'com-query', query: reader.restString(), attributes };
  },
  encode(message, context) {
    const writer = new PayloadWriter(1 + message.query.length).uint8(Command.query);
    if (context && hasCapability(context.capabilities, Capability.queryAttributes)) {
      writer.lenencInt(message.attributes.length).lenencInt(PARAMETER_SET_COUNT);
      if (message.attributes.some((attribute) => attribute.value === LONG_DATA)) {
        throw encodeError('query attributes cannot be long data');
      }
      if (message.attributes.length > 0) {
        writeParameterBlock(writer, { newParamsBound: true, parameters: message.attributes }, true);
      }
    } else if (message.attributes.length > 0) {
      throw encodeError('query attributes need CLIENT_QUERY_ATTRIBUTES');
    }
    return writer.string(message.query).finish();
  },
};
