import type { Journal, RecordSearch, SearchPage } from '@sluice/journal';

export type { RecordSearch, SearchPage } from '@sluice/journal';

/**
 * One page of a journal search, newest first (`sluice audit search`, and the admin API's
 * search route): pass `next` back as `before` for the next page.
 */
export function searchJournal(journal: Journal, search: RecordSearch): SearchPage {
  return journal.records.search(search);
}
