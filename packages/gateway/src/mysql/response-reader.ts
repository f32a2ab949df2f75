import {
  Capability,
  type CapabilityContext,
  hasCapability,
  MAX_PACKET_PAYLOAD,
  PacketHeader,
  PayloadReader,
  packets,
  ServerStatus,
} from '@sluice/wire-mysql';

/** The shape of the reply a command gets. */
export type ResponseShape =
  /** COM_QUERY and COM_STMT_EXECUTE: results (OK, ERR or a result set), chained by SERVER_MORE_RESULTS_EXISTS. */
  | { readonly kind: 'results'; readonly cursorRequested: boolean }
  /** COM_STMT_FETCH: rows of an open cursor, then EOF. */
  | { readonly kind: 'fetch' }
  /** COM_STMT_PREPARE: COM_STMT_PREPARE_OK and its parameter and column definitions. */
  | { readonly kind: 'prepare' }
  /** COM_FIELD_LIST: column definitions up to EOF. */
  | { readonly kind: 'field-list' }
  /** COM_PING, COM_INIT_DB, COM_STMT_RESET, COM_RESET_CONNECTION, COM_SET_OPTION: one OK, EOF or ERR. */
  | { readonly kind: 'status' }
  /** COM_STATISTICS: one string packet. */
  | { readonly kind: 'statistics' };

export type ResponseEvent =
  | { readonly kind: 'metadata' }
  /** A result set begins: its column count; its column definitions follow. */
  | { readonly kind: 'column-count'; readonly count: number }
  /** One column definition of a result set (not of a prepare reply or a field list). */
  | { readonly kind: 'column-definition' }
  | { readonly kind: 'row' }
  /** One result ended with OK or EOF; `affectedRows` only for an OK that is not the end of rows. */
  | {
      readonly kind: 'result-end';
      readonly affectedRows: bigint | null;
      readonly statusFlags: number;
      readonly moreResults: boolean;
    }
  | { readonly kind: 'error'; readonly errorCode: number; readonly message: string }
  | { readonly kind: 'prepared'; readonly statementId: number; readonly parameterCount: number }
  /** COM_STMT_EXECUTE opened a cursor: rows follow only on COM_STMT_FETCH. */
  | { readonly kind: 'cursor-opened'; readonly statusFlags: number }
  /** The server asks for a client file (LOAD DATA LOCAL INFILE). */
  | { readonly kind: 'local-infile' };

type State = 'first' | 'columns' | 'columns-eof' | 'rows' | 'definitions' | 'status' | 'statistics';

/** Classic EOF packets are shorter than this; a 0xFE packet this long is a row. */
const EOF_PAYLOAD_LIMIT = 9;

/**
 * Follows one command's reply packet by packet, without decoding rows, and says what each packet
 * was and when the reply is complete. Assumes CLIENT_PROTOCOL_41; the EOF style is the
 * session's (CLIENT_DEPRECATE_EOF replaces EOF packets with OK packets headed 0xFE).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html
 */
export class ResponseReader {
  done = false;
  private state: State;
  private remaining = 0;
  private rowsInResult = 0;
  private readonly deprecateEof: boolean;

  constructor(
    private readonly shape: ResponseShape,
    private readonly capabilities: CapabilityContext,
  ) {
    this.deprecateEof = hasCapability(capabilities.capabilities, Capability.deprecateEof);
    this.state = initialState(shape);
  }

  /** Throws MysqlWireError 'malformed' when a packet Sluice must decode is not what the state requires. */
  read(payload: Buffer): ResponseEvent {
    const header = payload[0];
    if (header === PacketHeader.err && this.state !== 'statistics' && this.state !== 'definitions') {
      return this.finish(this.error(payload));
    }
    switch (this.state) {
      case 'first':
        return this.readFirst(payload, header);
      case 'columns':
        this.remaining--;
        if (this.remaining === 0) this.state = this.deprecateEof ? 'rows' : 'columns-eof';
        return { kind: 'column-definition' };
      case 'columns-eof':
        return this.readColumnsEof(payload);
      case 'rows':
        return this.isEndOfRows(payload) ? this.readEndOfRows(payload) : this.readRow();
      case 'definitions':
        return this.readDefinition(payload);
      case 'status':
        return this.finish(this.readStatus(payload));
      case 'statistics':
        return this.finish({ kind: 'metadata' });
    }
  }

  private readFirst(payload: Buffer, header: number | undefined): ResponseEvent {
    if (this.shape.kind === 'prepare') return this.readPrepareOk(payload);
    if (header === PacketHeader.ok) return this.endResult(this.ok(payload), true);
    if (header === PacketHeader.localInfile) return { kind: 'local-infile' };
    const reader = new PayloadReader(payload, 'column count');
    this.remaining = reader.lenencInt();
    this.rowsInResult = 0;
    this.state = this.remaining === 0 ? 'rows' : 'columns';
    return { kind: 'column-count', count: this.remaining };
  }

  private readPrepareOk(payload: Buffer): ResponseEvent {
    const ok = packets.ComStmtPrepareOk.decode(payload);
    const eofs = this.deprecateEof ? 0 : Number(ok.parameterCount > 0) + Number(ok.columnCount > 0);
    this.remaining = ok.parameterCount + ok.columnCount + eofs;
    this.state = 'definitions';
    if (this.remaining === 0) this.done = true;
    return { kind: 'prepared', statementId: ok.statementId, parameterCount: ok.parameterCount };
  }

  private readDefinition(payload: Buffer): ResponseEvent {
    if (this.shape.kind === 'field-list') {
      if (payload[0] === PacketHeader.err) return this.finish(this.error(payload));
      return this.isEndOfRows(payload) ? this.finish({ kind: 'metadata' }) : { kind: 'metadata' };
    }
    this.remaining--;
    if (this.remaining <= 0) this.done = true;
    return { kind: 'metadata' };
  }

  /**
   * After the column definitions of a classic result set: an EOF, which for COM_STMT_EXECUTE with
   * a cursor says whether the cursor is open (the rows then wait for COM_STMT_FETCH).
   */
  private readColumnsEof(payload: Buffer): ResponseEvent {
    const statusFlags = this.endStatus(payload);
    if (this.cursorOpened(statusFlags)) return this.finish({ kind: 'cursor-opened', statusFlags });
    this.state = 'rows';
    return { kind: 'metadata' };
  }

  private readEndOfRows(payload: Buffer): ResponseEvent {
    const statusFlags = this.endStatus(payload);
    // With CLIENT_DEPRECATE_EOF the metadata of a cursor still ends with a status packet.
    if (this.rowsInResult === 0 && this.deprecateEof && this.cursorOpened(statusFlags)) {
      return this.finish({ kind: 'cursor-opened', statusFlags });
    }
    return this.endResult({ affectedRows: null, statusFlags }, this.shape.kind === 'results');
  }

  private readRow(): ResponseEvent {
    this.rowsInResult++;
    return { kind: 'row' };
  }

  private readStatus(payload: Buffer): ResponseEvent {
    if (payload[0] === PacketHeader.ok)
      return { kind: 'result-end', ...this.ok(payload), moreResults: false };
    if (payload[0] === PacketHeader.eof) {
      return {
        kind: 'result-end',
        affectedRows: null,
        statusFlags: this.endStatus(payload),
        moreResults: false,
      };
    }
    return { kind: 'metadata' };
  }

  private endResult(
    end: { readonly affectedRows: bigint | null; readonly statusFlags: number },
    chained: boolean,
  ): ResponseEvent {
    const moreResults = chained && hasCapability(end.statusFlags, ServerStatus.moreResultsExist);
    if (moreResults) this.state = 'first';
    else this.done = true;
    return { kind: 'result-end', ...end, moreResults };
  }

  private cursorOpened(statusFlags: number): boolean {
    return (
      this.shape.kind === 'results' &&
      this.shape.cursorRequested &&
      hasCapability(statusFlags, ServerStatus.cursorExists)
    );
  }

  /** A 0xFE packet short enough to be an EOF (or, with CLIENT_DEPRECATE_EOF, an OK) rather than a row. */
  private isEndOfRows(payload: Buffer): boolean {
    if (payload[0] !== PacketHeader.eof) return false;
    return payload.length < (this.deprecateEof ? MAX_PACKET_PAYLOAD : EOF_PAYLOAD_LIMIT);
  }

  private endStatus(payload: Buffer): number {
    // A classic EOF is 5 bytes; with CLIENT_DEPRECATE_EOF servers still send one after a cursor's metadata.
    if (!this.deprecateEof || payload.length === 5) return packets.EofPacket.decode(payload).statusFlags;
    return packets.OkPacket.decode(payload, this.capabilities).statusFlags;
  }

  private ok(payload: Buffer): { affectedRows: bigint; statusFlags: number } {
    const ok = packets.OkPacket.decode(payload, this.capabilities);
    return { affectedRows: ok.affectedRows, statusFlags: ok.statusFlags };
  }

  private error(payload: Buffer): ResponseEvent {
    const error = packets.ErrPacket.decode(payload);
    return { kind: 'error', errorCode: error.errorCode, message: error.message };
  }

  private finish(event: ResponseEvent): ResponseEvent {
    this.done = true;
    return event;
  }
}

function initialState(shape: ResponseShape): State {
  switch (shape.kind) {
    case 'results':
    case 'prepare':
      return 'first';
    case 'fetch':
      return 'rows';
    case 'field-list':
      return 'definitions';
    case 'status':
      return 'status';
    case 'statistics':
      return 'statistics';
  }
}
