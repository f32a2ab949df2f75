import type { AnchorCheck } from '@sluice/evidence';
import type { JournalEntry, VerifyResult } from '@sluice/journal';

/** The human form of `audit verify`; `sluice demo` prints it too. */
export function describeVerify(result: VerifyResult & { readonly anchor?: AnchorCheck }): string {
  const purged = result.purgedThrough === null ? '' : `, purged through #${result.purgedThrough}`;
  const chains = (result.chains ?? []).map(
    (c) =>
      `  gateway ${c.gateway}: ${c.checked} record(s), head #${c.headSeq ?? 0} ${c.headHash ?? '(empty)'}`,
  );
  const intact = result.chains
    ? [
        `journal intact: ${result.checked} record(s) in ${result.chains.length} gateway chain(s)`,
        ...chains,
      ].join('\n')
    : `journal intact: ${result.checked} record(s), head ${result.headHash ?? '(empty)'}${purged}`;
  const chain = result.ok
    ? intact
    : [`journal TAMPERED: ${result.problems.length} problem(s) in ${result.checked} record(s)`]
        .concat(
          result.problems.map(
            (p) => `  ${p.gateway === undefined ? '' : `gateway ${p.gateway} `}record ${p.seq}: ${p.message}`,
          ),
        )
        .join('\n');
  if (!result.anchor) return chain;
  const anchor = result.anchor.ok
    ? `anchor intact: record #${result.anchor.seq} has the signed hash (signature checked with the ${result.anchor.keySource} key)`
    : [`anchor FAILED at record #${result.anchor.seq}:`, ...result.anchor.problems.map((p) => `  ${p}`)].join(
        '\n',
      );
  return `${chain}\n${anchor}`;
}

/** One line of `audit tail`; `sluice demo` prints its journal with it too. */
export function describeEntry(entry: JournalEntry): string {
  const p = entry.payload;
  const text = (value: unknown): string =>
    typeof value === 'string' ? value : value === undefined ? '-' : JSON.stringify(value);
  switch (entry.type) {
    case 'statement':
      return `${entry.at}  #${entry.seq} ${text(p.identity)} ${text(p.decision)}${decidedBy(p)}: ${oneLine(text(p.statement))}`;
    case 'statement_end':
      return `${entry.at}  #${entry.ref} done: rows=${text(p.rows)} ${text(p.duration_ms)}ms${p.error ? ` error: ${text(p.error)}` : ''}`;
    case 'session_start':
      return `${entry.at}  session ${entry.ref} started: ${text(p.identity)} (${text(p.auth_method)}) from ${text(p.client_address)} on ${text(p.connection)}`;
    case 'session_end':
      return `${entry.at}  session ${entry.ref} ended: ${text(p.reason)}`;
    case 'sign_in_failed':
      return `${entry.at}  sign-in FAILED: ${text(p.user)} (${text(p.method)}) ${text(p.cause)} from ${text(p.client_address)} on ${text(p.connection)}${Number(p.count) > 1 ? ` ×${text(p.count)}` : ''}`;
    case 'purge':
      return `${entry.at}  purge: ${text(p.purged_records)} record(s) #${text(p.purged_from)}–#${text(p.purged_through)} older than ${text(p.older_than)} by ${text(p.actor)}`;
    case 'account':
      return `${entry.at}  account ${text(p.action)} ${text(p.account)} by ${text(p.actor)}`;
    case 'approval':
      return `${entry.at}  approval ${entry.ref} ${text(p.action)}${p.actor ? ` by ${text(p.actor)}` : ''}: ${text(p.identity)} ${oneLine(text(p.statement ?? p.reason))}`;
    case 'grant':
      return `${entry.at}  grant ${entry.ref} ${text(p.action)}${p.actor ? ` by ${text(p.actor)}` : ''}: ${text(p.identity ?? p.group)} may ${text(p.allow)} on ${text(p.connection)} until ${text(p.expires_at)}`;
    case 'admin':
      return `${entry.at}  admin ${text(p.method)} ${text(p.path)} ${text(p.status)} by ${text(p.actor ?? 'nobody')}${p.reason ? `: ${text(p.reason)}` : ''}`;
    default:
      return `${entry.at}  ${entry.type} ${JSON.stringify(p)}`;
  }
}

/** ` by <rule>`, or for a statement people decided ` by <approver> (rule <rule>)`. */
function decidedBy(payload: Readonly<Record<string, unknown>>): string {
  const rule = typeof payload.rule === 'string' ? payload.rule : null;
  if (typeof payload.approver === 'string') return ` by ${payload.approver}${rule ? ` (rule ${rule})` : ''}`;
  return rule ? ` by ${rule}` : '';
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
