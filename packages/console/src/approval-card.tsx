import type { Api } from './api.js';
import type { Approval, Me } from './api-types.js';
import { ApprovalDecision } from './approval-decision.js';
import { mayDecide } from './may-decide.js';
import { SqlStatement } from './sql-statement.js';
import { clockTime, duration, fullTime } from './time.js';

interface Props {
  readonly api: Api;
  readonly me: Me;
  readonly request: Approval;
  readonly now: number;
}

/** One request: who, where, what, why it waits, and — for those who may — the decision. */
export function ApprovalCard({ api, me, request, now }: Props) {
  const { subject } = request;
  const pending = request.state === 'pending';
  const waited =
    (pending ? now : Date.parse(request.decided_at ?? request.requested_at)) -
    Date.parse(request.requested_at);
  return (
    <article
      class={`card approval ${request.state}`}
      aria-labelledby={`title-${request.id}`}
      data-request={request.id}
    >
      <header>
        <h3 id={`title-${request.id}`}>
          <span class="identity">{request.identity}</span> on{' '}
          <span class="connection">{request.connection}</span>
          {request.gateway && <span class="gateway"> via {request.gateway}</span>}
        </h3>
        <p class="meta">
          <time dateTime={request.requested_at} title={fullTime(request.requested_at)}>
            {clockTime(request.requested_at)}
          </time>
          {' · '}
          {pending
            ? `waiting ${duration(waited)} · times out in ${duration(Date.parse(request.deadline) - now)}`
            : stateLine(request, waited)}
        </p>
      </header>
      {subject.kind === 'statement' ? (
        <>
          <SqlStatement text={subject.statement ?? ''} />
          {subject.parameters && subject.parameters.length > 0 && (
            <>
              <p class="parameters-caption">With the values the client sent:</p>
              <ol class="parameters" aria-label="Parameters">
                {subject.parameters.map((value, index) => (
                  <li key={index}>
                    <span class="parameter-name">{parameterName(request.protocol, index)} =</span>{' '}
                    {value ?? 'NULL'}
                  </li>
                ))}
              </ol>
            </>
          )}
          <dl class="analysis">
            <div>
              <dt>Kind</dt>
              <dd>{subject.statement_kind ?? 'unknown'}</dd>
            </div>
            <div>
              <dt>Tables</dt>
              <dd>{subject.tables?.length ? subject.tables.join(', ') : 'none named'}</dd>
            </div>
            <div>
              <dt>Estimated rows</dt>
              <dd>{subject.estimated_rows ?? 'unknown'}</dd>
            </div>
            <div>
              <dt>Rule</dt>
              <dd>{request.rule}</dd>
            </div>
          </dl>
        </>
      ) : (
        <p class="grant-subject">
          Asks for {subject.grant?.allow.join(', ')} on {subject.grant?.connection} for{' '}
          {duration(subject.grant?.duration_ms ?? 0)}: “{subject.grant?.reason}”
        </p>
      )}
      <p class="reason">{request.reason}</p>
      {request.min_approvals > 1 && (
        <p class="approvals-needed">
          {request.approvals.length} of {request.min_approvals} approvals
          {request.approvals.length > 0 && ` (${request.approvals.map((each) => each.by).join(', ')})`}
        </p>
      )}
      {request.recent_statements.length > 0 && (
        <details class="recent" open={request.recent_statements.length <= 5}>
          <summary>Session’s previous statements ({request.recent_statements.length})</summary>
          <ol>
            {request.recent_statements.map((statement, index) => (
              <li key={index}>
                <code>{statement}</code>
              </li>
            ))}
          </ol>
        </details>
      )}
      {mayDecide(me, request) && <ApprovalDecision api={api} request={request} />}
      {pending && !mayDecide(me, request) && (
        <p class="note">
          {me.name === request.identity
            ? 'Nobody approves their own request.'
            : request.approvals.some((each) => each.by === me.name)
              ? 'You approved this request; it waits for more approvers.'
              : 'You may look at this request but not decide it.'}
        </p>
      )}
    </article>
  );
}

function stateLine(request: Approval, waited: number): string {
  if (request.state === 'approved')
    return `approved by ${request.approvals.map((each) => each.by).join(', ')} after ${duration(waited)}`;
  if (request.state === 'denied')
    return `denied by ${request.denial?.by} after ${duration(waited)}: “${request.denial?.reason}”`;
  return `${request.state}${request.end_reason ? `: ${request.end_reason}` : ''}`;
}

/** `$1` as PostgreSQL writes a placeholder; MySQL's are all `?`, so they are numbered `?1`. */
function parameterName(protocol: string, index: number): string {
  return protocol === 'mysql' ? `?${index + 1}` : `$${index + 1}`;
}
