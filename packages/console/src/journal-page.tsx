import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { JournalPage as Page, VerifyStatus } from './api-types.js';
import { EmptyState, ErrorNote } from './empty-state.js';
import { useResource } from './hooks.js';
import { type Filters, JournalFilters, NO_FILTERS, queryOf } from './journal-filters.js';
import { JournalRecord } from './journal-record.js';

/** Search the journal, newest first, a page at a time; the chain's verification on top. */
export function JournalPage({ api }: { readonly api: Api }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const before = pages.at(-1);
  const key = JSON.stringify([filters, before]);
  const page = useResource(() => api.get<Page>('/api/journal/statements', queryOf(filters, before)), key);
  const verify = useResource(() => api.get<VerifyStatus>('/api/journal/verify'), 'verify');
  return (
    <section aria-labelledby="journal-title">
      <div class="page-head">
        <h2 id="journal-title">Journal</h2>
        <ChainStatus status={verify.data} error={verify.error} />
      </div>
      <JournalFilters
        onSearch={(next) => {
          setFilters(next);
          setPages([undefined]);
        }}
      />
      <ErrorNote message={page.error} />
      <div aria-live="polite" class="result-count">
        {page.data &&
          `${page.data.records.length === 1 ? '1 statement' : `${page.data.records.length} statements`} on this page${pages.length > 1 ? ` (page ${pages.length})` : ''}`}
      </div>
      {page.data?.records.length === 0 && (
        <EmptyState title="No statement matches these filters.">
          Widen the time range or clear a filter.
        </EmptyState>
      )}
      <ol class="records">
        {page.data?.records.map((record) => (
          <JournalRecord key={record.id} record={record} />
        ))}
      </ol>
      <div class="buttons pager">
        <button
          type="button"
          disabled={pages.length <= 1}
          onClick={() => setPages((list) => list.slice(0, -1))}
        >
          Newer
        </button>
        <button
          type="button"
          disabled={!page.data?.next_before}
          onClick={() => setPages((list) => [...list, page.data?.next_before ?? undefined])}
        >
          Older
        </button>
      </div>
    </section>
  );
}

function ChainStatus({
  status,
  error,
}: {
  readonly status: VerifyStatus | undefined;
  readonly error: string | undefined;
}) {
  if (error) return <p class="error">{error}</p>;
  if (!status) return <p class="chain">Verifying the journal…</p>;
  return (
    <p class={status.ok ? 'chain ok' : 'chain broken'} role="status">
      {status.ok ? verifiedText(status) : brokenText(status)}
    </p>
  );
}

function verifiedText(status: VerifyStatus): string {
  if (!status.chains) {
    return `Chain verified: ${status.checked} records, head ${status.head_hash?.slice(0, 16) ?? '(empty)'}`;
  }
  const gateways = status.chains.map((chain) => chain.gateway).join(', ');
  const chains = status.chains.length === 1 ? 'one chain' : `${status.chains.length} chains`;
  return `Chain verified: ${status.checked} records in ${chains}, one per gateway (${gateways})`;
}

function brokenText(status: VerifyStatus): string {
  const first = status.problems[0];
  const where = first?.gateway ? `record ${first.seq} of ${first.gateway}'s chain` : `record ${first?.seq}`;
  return `Chain broken: ${status.problems.length} problems, first at ${where}: ${first?.message}`;
}
