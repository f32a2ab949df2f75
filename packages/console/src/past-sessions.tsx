import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { PastSession } from './api-types.js';
import { EmptyState, ErrorNote } from './empty-state.js';
import { useResource } from './hooks.js';
import { fullTime } from './time.js';

/** Journalled sessions, newest first, searched by id, identity, connection or address. */
export function PastSessions({
  api,
  onReplay,
}: {
  readonly api: Api;
  readonly onReplay: (session: string) => void;
}) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const sessions = useResource(
    () => api.get<PastSession[]>('/api/sessions/history', { text: query, limit: 50 }),
    query,
  );
  return (
    <section aria-labelledby="past-title">
      <h3 id="past-title">Past sessions</h3>
      <form
        aria-label="Search past sessions"
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(text.trim());
        }}
      >
        <label for="session-search">Search sessions</label>
        <input
          id="session-search"
          value={text}
          placeholder="identity, connection, address or id"
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit">Search</button>
      </form>
      <ErrorNote message={sessions.error} />
      {sessions.data?.length === 0 && (
        <EmptyState title="No session matches.">
          Try a shorter search, or clear it to see the newest sessions.
        </EmptyState>
      )}
      <ul class="session-list">
        {sessions.data?.map((session) => (
          <li key={session.session}>
            <button type="button" class="row-button" onClick={() => onReplay(session.session)}>
              <strong>{session.identity}</strong> on {session.connection} · {fullTime(session.started_at)} ·{' '}
              {session.statements === 1 ? '1 statement' : `${session.statements} statements`} ·{' '}
              {session.ended_at ? `ended: ${session.end_reason}` : 'still open'}
              <span class="replay-hint"> · Replay ›</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
