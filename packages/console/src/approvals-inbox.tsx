import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { Approval, Me } from './api-types.js';
import { ApprovalCard } from './approval-card.js';
import { followApprovals } from './approval-stream.js';
import { EmptyState, ErrorNote } from './empty-state.js';
import { messageOf, useNow } from './hooks.js';

type Tab = 'waiting' | 'decided';

/** Pending requests live over the event stream, newest first; decided ones in a second tab. */
export function ApprovalsInbox({ api, me }: { readonly api: Api; readonly me: Me }) {
  const [requests, setRequests] = useState<ReadonlyMap<string, Approval>>(new Map());
  const [stream, setStream] = useState<'connecting' | 'live' | 'reconnecting'>('connecting');
  const [tab, setTab] = useState<Tab>('waiting');
  const [error, setError] = useState<string | undefined>(undefined);
  // Pending requests on screen. One arriving while others are shown waits behind "Show new", so
  // no card moves under a person's pointer as they decide.
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(new Set());
  const now = useNow();

  useEffect(() => {
    const abort = new AbortController();
    void followApprovals(api, abort.signal, {
      onEvent: ({ action, request }) => {
        setRequests((known) => new Map(known).set(request.id, request));
        // The stream opens with every pending request: those are on screen at once.
        if (action === 'pending') setRevealed((shown) => new Set(shown).add(request.id));
      },
      onState: setStream,
    });
    return () => abort.abort();
  }, [api]);

  useEffect(() => {
    if (tab !== 'decided') return;
    api.get<Approval[]>('/api/approvals').then(
      (all) =>
        setRequests((known) => {
          const next = new Map(known);
          for (const request of all) next.set(request.id, request);
          return next;
        }),
      (failure: unknown) => setError(messageOf(failure)),
    );
  }, [api, tab]);

  const sorted = useMemo(
    () => [...requests.values()].sort((a, b) => b.requested_at.localeCompare(a.requested_at)),
    [requests],
  );
  const waiting = sorted.filter((request) => request.state === 'pending');
  const onScreen = waiting.filter((request) => revealed.has(request.id));
  const arrived = onScreen.length === 0 ? [] : waiting.filter((request) => !revealed.has(request.id));
  const decided = sorted.filter((request) => request.state !== 'pending');
  const shown = tab === 'waiting' ? (onScreen.length === 0 ? waiting : onScreen) : decided;
  const reveal = (list: readonly Approval[]) =>
    setRevealed((known) => new Set([...known, ...list.map((request) => request.id)]));

  // With nothing on screen, what arrives is shown at once; remember it as shown.
  useEffect(() => {
    if (onScreen.length === 0 && waiting.length > 0) reveal(waiting);
  }, [onScreen.length, waiting]);

  return (
    <section aria-labelledby="inbox-title">
      <div class="page-head">
        <h2 id="inbox-title">Approvals</h2>
        <div class="stream-line" aria-live="polite">
          {arrived.length > 0 && tab === 'waiting' ? (
            <button type="button" class="arrivals" onClick={() => reveal(arrived)}>
              Show {arrived.length === 1 ? '1 new request' : `${arrived.length} new requests`} (
              {[...new Set(arrived.map((request) => request.identity))].join(', ')})
            </button>
          ) : (
            <p class={`stream ${stream}`}>
              {stream === 'live'
                ? 'Live: new requests appear here'
                : stream === 'connecting'
                  ? 'Connecting…'
                  : 'Reconnecting…'}
            </p>
          )}
        </div>
      </div>
      <div class="tabs" role="tablist" aria-label="Approval requests">
        <TabButton id="waiting" current={tab} onSelect={setTab} label={`Waiting (${waiting.length})`} />
        <TabButton id="decided" current={tab} onSelect={setTab} label="Decided" />
      </div>
      <ErrorNote message={error} />
      <div
        class="cards"
        role="tabpanel"
        aria-label={tab === 'waiting' ? 'Waiting requests' : 'Decided requests'}
      >
        {shown.length === 0 &&
          (tab === 'waiting' ? (
            <EmptyState title="Nothing is waiting for a decision.">
              When a statement matches a rule with <code>action: approve</code>, it appears here within a
              second, and the client waits until someone approves or denies it.
            </EmptyState>
          ) : (
            <EmptyState title="No decided requests yet.">
              Approved, denied and expired requests are listed here once decided.
            </EmptyState>
          ))}
        {shown.map((request) => (
          <ApprovalCard key={request.id} api={api} me={me} request={request} now={now} />
        ))}
      </div>
    </section>
  );
}

function TabButton(props: {
  readonly id: Tab;
  readonly current: Tab;
  readonly label: string;
  readonly onSelect: (tab: Tab) => void;
}) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={props.current === props.id}
      class={props.current === props.id ? 'tab current' : 'tab'}
      onClick={() => props.onSelect(props.id)}
    >
      {props.label}
    </button>
  );
}
