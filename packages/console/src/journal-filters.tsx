import { useState } from 'preact/hooks';

export interface Filters {
  readonly identity: string;
  readonly group: string;
  readonly connection: string;
  readonly decision: string;
  readonly kind: string;
  readonly table: string;
  readonly text: string;
  readonly since: string;
  readonly until: string;
}

export const NO_FILTERS: Filters = {
  identity: '',
  group: '',
  connection: '',
  decision: '',
  kind: '',
  table: '',
  text: '',
  since: '',
  until: '',
};

const TEXT_FIELDS = [
  ['text', 'Statement text'],
  ['identity', 'Identity'],
  ['group', 'Group'],
  ['connection', 'Connection'],
  ['kind', 'Kind (select, delete…)'],
  ['table', 'Table'],
] as const;

/** The journal search's form; times are typed in the viewer's time zone. */
export function JournalFilters({ onSearch }: { readonly onSearch: (filters: Filters) => void }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const set = (name: keyof Filters, value: string) =>
    setFilters((current) => ({ ...current, [name]: value }));
  return (
    <form
      class="filters"
      aria-label="Search the journal"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(filters);
      }}
    >
      {TEXT_FIELDS.map(([name, label]) => (
        <div class="field" key={name}>
          <label for={`filter-${name}`}>{label}</label>
          <input
            id={`filter-${name}`}
            value={filters[name]}
            onInput={(event) => set(name, event.currentTarget.value)}
          />
        </div>
      ))}
      <div class="field">
        <label for="filter-decision">Decision</label>
        <select
          id="filter-decision"
          value={filters.decision}
          onChange={(event) => set('decision', event.currentTarget.value)}
        >
          <option value="">any</option>
          {['allowed', 'blocked', 'approved', 'denied', 'expired'].map((decision) => (
            <option key={decision} value={decision}>
              {decision}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-since">From</label>
        <input
          id="filter-since"
          type="datetime-local"
          value={filters.since}
          onInput={(event) => set('since', event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="filter-until">Until</label>
        <input
          id="filter-until"
          type="datetime-local"
          value={filters.until}
          onInput={(event) => set('until', event.currentTarget.value)}
        />
      </div>
      <div class="buttons">
        <button type="submit">Search</button>
        <button
          type="reset"
          onClick={() => {
            setFilters(NO_FILTERS);
            onSearch(NO_FILTERS);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

/** The filters as the API's query: local times become instants. */
export function queryOf(
  filters: Filters,
  before: number | undefined,
): Record<string, string | number | undefined> {
  const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);
  return {
    identity: filters.identity.trim(),
    group: filters.group.trim(),
    connection: filters.connection.trim(),
    decision: filters.decision,
    kind: filters.kind.trim(),
    table: filters.table.trim(),
    text: filters.text.trim(),
    since: instant(filters.since),
    until: instant(filters.until),
    before,
    limit: 25,
  };
}
