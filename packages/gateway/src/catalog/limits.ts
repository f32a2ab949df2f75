/** A catalog query slower than this is abandoned; the plan then fails closed on lineage alone. */
export const CATALOG_QUERY_TIMEOUT_MS = 10_000;
