import type { StatementRecord } from './api-types.js';
import { SqlStatement } from './sql-statement.js';
import { fullTime } from './time.js';

/** One journalled statement; its full content opens below it. */
export function JournalRecord({ record }: { readonly record: StatementRecord }) {
  return (
    <li class="card record" data-record={record.id}>
      <p class="meta">
        <time dateTime={record.time}>{fullTime(record.time)}</time> · <strong>{record.identity}</strong> on{' '}
        {record.connection}
        {record.gateway && <span class="gateway"> via {record.gateway}</span>} ·{' '}
        <span class={`badge ${record.decision}`}>{record.decision}</span>
        {record.kind && ` · ${record.kind}`}
        {record.tables.length > 0 && ` · ${record.tables.join(', ')}`}
      </p>
      <SqlStatement text={record.statement} />
      {record.reason && <p class="reason">{record.reason}</p>}
      <details>
        <summary>Full record {record.id}</summary>
        <pre class="json">{JSON.stringify(record, null, 2)}</pre>
      </details>
    </li>
  );
}
