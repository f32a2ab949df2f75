import type { Api } from './api.js';
import type { Overview } from './api-types.js';
import { DecisionChart } from './decision-chart.js';
import { EmptyState, ErrorNote } from './empty-state.js';
import { useResource } from './hooks.js';
import type { PagePath } from './nav-bar.js';
import { startOfToday } from './time.js';

/** What happened today at a glance. */
export function OverviewPage({
  api,
  onNavigate,
}: {
  readonly api: Api;
  readonly onNavigate: (path: PagePath) => void;
}) {
  const overview = useResource(
    () => api.get<Overview>('/api/overview', { hours: 24, today_since: startOfToday() }),
    'overview',
  );
  const data = overview.data;
  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">Overview</h2>
      <ErrorNote message={overview.error} />
      {data && (
        <>
          <div class="tiles">
            <Tile
              label="Waiting for approval"
              value={data.pending_approvals}
              onClick={() => onNavigate('/')}
            />
            <Tile label="Blocked today" value={data.blocked_today} />
            <Tile label="Denied today" value={data.denied_today} />
            <Tile label="Live sessions" value={data.live_sessions} onClick={() => onNavigate('/sessions')} />
          </div>
          <DecisionChart hours={data.hours} />
          <h3>Top identities, last 24 hours</h3>
          {data.top_identities.length === 0 ? (
            <EmptyState title="No statement in the last 24 hours.">
              Connect a client through one of the gateway’s connections.
            </EmptyState>
          ) : (
            <ol class="top-identities">
              {data.top_identities.map((entry) => (
                <li key={entry.identity}>
                  <strong>{entry.identity}</strong> {entry.statements} statements
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function Tile({
  label,
  value,
  onClick,
}: {
  readonly label: string;
  readonly value: number;
  readonly onClick?: () => void;
}) {
  const body = (
    <>
      <span class="value">{value}</span>
      <span class="label">{label}</span>
    </>
  );
  return onClick ? (
    <button type="button" class="tile" onClick={onClick}>
      {body}
    </button>
  ) : (
    <div class="tile">{body}</div>
  );
}
