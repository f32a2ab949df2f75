import type { Api } from './api.js';
import type { SessionTimeline as Timeline, TimelineStatement } from './api-types.js';
import { ErrorNote } from './empty-state.js';
import { useResource } from './hooks.js';
import { SqlStatement } from './sql-statement.js';
import { clockTime, duration, fullTime } from './time.js';

/** A session replayed: statements in order with decisions, approvers, durations and recorded (masked) rows. */
export function SessionTimeline({
  api,
  session,
  onClose,
}: {
  readonly api: Api;
  readonly session: string;
  readonly onClose: () => void;
}) {
  const timeline = useResource(
    () => api.get<Timeline>(`/api/sessions/${encodeURIComponent(session)}/replay`),
    session,
  );
  const data = timeline.data;
  return (
    <section class="timeline" aria-labelledby="timeline-title">
      <div class="page-head">
        <h3 id="timeline-title">Replay of session {session}</h3>
        <button type="button" onClick={onClose}>
          Close replay
        </button>
      </div>
      <ErrorNote message={timeline.error} />
      {data && (
        <ol class="events">
          <li class="event edge">
            {data.started
              ? `Started ${fullTime(data.started.at)} by ${String(data.started.details.identity ?? '')}`
              : 'Start not journalled'}
          </li>
          {data.statements.map((statement) => (
            <TimelineEntry key={statement.id} statement={statement} />
          ))}
          <li class="event edge">
            {data.ended ? `Ended ${fullTime(data.ended.at)}: ${data.ended.reason}` : 'Still open'}
          </li>
        </ol>
      )}
    </section>
  );
}

function TimelineEntry({ statement }: { readonly statement: TimelineStatement }) {
  const approval = statement.approval;
  return (
    <li class="event">
      <p class="meta">
        <time dateTime={statement.time}>{clockTime(statement.time)}</time> ·{' '}
        <span class={`badge ${statement.decision}`}>{statement.decision}</span>
        {statement.duration_ms !== null && ` · ran ${Math.round(statement.duration_ms)} ms`}
        {statement.rows !== null && ` · ${statement.rows === 1 ? '1 row' : `${statement.rows} rows`}`}
      </p>
      <SqlStatement text={statement.statement} />
      {statement.reason && <p class="reason">{statement.reason}</p>}
      {approval && (
        <p class="approval-step">
          {approval.outcome} by {approval.approvers.join(', ') || 'nobody'}
          {approval.waited_ms !== null && ` after ${duration(approval.waited_ms)}`}
          {approval.reason && `: “${approval.reason}”`}
        </p>
      )}
      {statement.error && <p class="error">{statement.error}</p>}
      {statement.recorded_rows && statement.recorded_rows.rows.length > 0 && (
        <div class="table-wrap">
          <table class="rows">
            <caption>Recorded rows, as the client saw them (masked)</caption>
            <thead>
              <tr>
                {statement.recorded_rows.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {statement.recorded_rows.rows.map((row, index) => (
                <tr key={index}>
                  {row.map((value, column) => (
                    <td key={column}>{value ?? 'NULL'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}
