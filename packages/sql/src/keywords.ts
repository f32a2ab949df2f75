function words(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((word) => word.length > 0));
}

/**
 * Words that cannot name a table alias and that, followed by `(`, open syntax rather than call a
 * function (`IN (`, `VALUES (`, `OVER (`). Reserved words of Postgres and MySQL, roughly merged.
 */
export const RESERVED = words(`
  all analyse analyze and any array as asc asymmetric between both by case cast check collate column
  conflict constraint create cross current_date current_time current_timestamp default deferrable
  delete desc distinct do else end except exists fetch filter for foreign from full grant group having
  ilike in index inner insert intersect into is isnull join key lateral leading left like limit
  lock match materialized merge minus natural not notnull null offset on only or order outer over
  partition placing primary recursive references regexp returning right rlike row rows select set
  similar some straight_join symmetric table tablesample then to trailing union unique update using
  values variadic when where window with within xor escape interval sets ordinality exclude include
  against returns uescape outfile dumpfile infile nowait skip locked of share
`);

/** Words printed upper-case in a fingerprint; every other unquoted word is printed lower-case. */
export const KEYWORDS = new Set<string>([
  ...RESERVED,
  ...words(`
    abort add after alter always atomic authorization begin cascade characteristics checkpoint close
    cluster comment commit committed concurrently copy cursor data database deallocate declare
    delimiter describe discard drop duplicate execute explain false first flush global grant handler
    hold identity if ignore immediate isolation kill language last level listen load local low_priority
    move names no none notify nulls outer owner persist prepare prepared privileges procedure program
    quick read release rename repeatable replace reset restart restrict revoke role rollback savepoint
    schema serializable session show start stdin stdout system temp temporary transaction true
    truncate uncommitted unlisten unlock unlogged use user vacuum verbose view work write zone
  `),
]);

/** Words that end a FROM list at the level where they appear. */
export const FROM_END = words(`
  group having order limit offset fetch for window union intersect except minus returning into
  procedure lock qualify set where
`);

/** Words that end a WHERE (or MERGE ON / AND) condition at the level where they appear. */
export const WHERE_END = words(`
  group having order limit offset fetch for window union intersect except minus returning into
  procedure lock qualify when then
`);

/** Words that start a query wherever a query may appear (after `(`, in a CTE body, after AS). */
export const QUERY_START = words('select with values table insert update delete merge replace');
