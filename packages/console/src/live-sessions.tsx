import { useEffect, useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { LiveSession, Me } from './api-types.js';
import { EmptyState, ErrorNote } from './empty-state.js';
import { messageOf, useNow, useResource } from './hooks.js';
import { clockTime, duration, fullTime } from './time.js';

interface Props {
  readonly api: Api;
  readonly me: Me;
  readonly onReplay: (session: string) => void;
}

/** Live sessions, refreshed every two seconds; admins may end one. */
export function LiveSessions({ api, me, onReplay }: Props) {
  const sessions = useResource(() => api.get<LiveSession[]>('/api/sessions'), 'live');
  const [error, setError] = useState<string | undefined>(undefined);
  const now = useNow();
  const { reload } = sessions;
  useEffect(() => {
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [reload]);
  const kill = async (session: LiveSession) => {
    if (
      !confirm(`End ${session.identity}’s session on ${session.connection}? The client’s connection closes.`)
    )
      return;
    try {
      await api.post(`/api/sessions/${encodeURIComponent(session.id)}/kill`, {
        reason: `killed by ${me.name} from the console`,
      });
      setError(undefined);
      reload();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const list = sessions.data ?? [];
  return (
    <section aria-labelledby="live-title">
      <h3 id="live-title">Live sessions</h3>
      <ErrorNote message={error ?? sessions.error} />
      {list.length === 0 && !sessions.loading && (
        <EmptyState title="No client is connected.">
          Sessions appear here while an agent or script is connected through Sluice.
        </EmptyState>
      )}
      {list.length > 0 && (
        <div class="table-wrap stacks">
          <table>
            <thead>
              <tr>
                <th scope="col">Identity</th>
                <th scope="col">Connection</th>
                <th scope="col">State</th>
                <th scope="col">Running statement</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((session) => (
                <tr key={session.id} data-session={session.id}>
                  <td data-label="Identity">{session.identity}</td>
                  <td data-label="Connection">
                    {session.connection}
                    {session.gateway && <span class="age"> via {session.gateway}</span>}
                  </td>
                  <td data-label="State">
                    <span class={`badge ${session.state}`}>{session.state}</span>
                  </td>
                  <td data-label="Running statement" class="statement-cell">
                    {session.current ? (
                      <>
                        <code>{session.current.text}</code>{' '}
                        <span class="age">{duration(now - Date.parse(session.current.since))}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label="Since" title={fullTime(session.started_at)}>
                    {clockTime(session.started_at)}
                  </td>
                  <td class="actions">
                    <button type="button" onClick={() => onReplay(session.id)}>
                      Replay
                    </button>
                    {me.roles.includes('admin') && (
                      <button
                        type="button"
                        class="deny"
                        onClick={() => void kill(session)}
                        aria-label={`Kill ${session.identity}’s session ${session.id}`}
                      >
                        Kill
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
