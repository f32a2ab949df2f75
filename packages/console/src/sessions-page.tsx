import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { Me } from './api-types.js';
import { LiveSessions } from './live-sessions.js';
import { PastSessions } from './past-sessions.js';
import { SessionTimeline } from './session-timeline.js';

export function SessionsPage({ api, me }: { readonly api: Api; readonly me: Me }) {
  const [replay, setReplay] = useState<string | null>(null);
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      {replay && <SessionTimeline api={api} session={replay} onClose={() => setReplay(null)} />}
      <LiveSessions api={api} me={me} onReplay={setReplay} />
      <PastSessions api={api} onReplay={setReplay} />
    </section>
  );
}
