import type { JournalEntry } from '@sluice/journal';

/** LOG_AUTHPRIV (10): security and authorization messages. */
const FACILITY = 10;
const SEVERITY = { warning: 4, notice: 5, informational: 6 } as const;
/** Private enterprise number 32473 is the one RFC 5612 reserves for documentation and examples. */
const SD_ID = 'sluice@32473';

/**
 * One record as an RFC 5424 message: the record type as MSGID, seq and hash as structured data,
 * the record as JSON for MSG. Refusals and failed sign-ins are warnings.
 */
export function syslogMessage(entry: JournalEntry, hostname: string, procId: number): string {
  const severity = severityOf(entry);
  const header = `<${FACILITY * 8 + severity}>1 ${entry.at} ${token(hostname)} sluice ${procId} ${token(entry.type)}`;
  const data = `[${SD_ID} seq="${entry.seq}" hash="${entry.hash}"${entry.ref ? ` ref="${sdValue(entry.ref)}"` : ''}]`;
  const body = JSON.stringify({
    seq: entry.seq,
    at: entry.at,
    type: entry.type,
    ref: entry.ref,
    hash: entry.hash,
    ...entry.payload,
  });
  return `${header} ${data} ${body}`;
}

/** RFC 6587 octet counting: the message's length in bytes, a space, the message. */
export function octetCounted(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}

function severityOf(entry: JournalEntry): number {
  if (entry.type === 'sign_in_failed' || entry.type === 'purge') return SEVERITY.warning;
  if (entry.type === 'statement' && entry.payload.decision !== 'allowed') return SEVERITY.warning;
  if (entry.type === 'account' || entry.type === 'grant' || entry.type === 'approval') return SEVERITY.notice;
  return SEVERITY.informational;
}

/** Header fields are printable US-ASCII without spaces, at most 48 characters for APP-NAME and the like. */
function token(text: string): string {
  const clean = text.replace(/[^\x21-\x7e]/g, '_').slice(0, 48);
  return clean === '' ? '-' : clean;
}

/** SD-PARAM values escape `"`, `\` and `]` (RFC 5424 §6.3.3). */
function sdValue(text: string): string {
  return text.replace(/["\\\]]/g, (c) => `\\${c}`);
}
