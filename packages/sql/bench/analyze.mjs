// Prints µs per statement for cold analysis (empty cache), for a cache hit, and for a 1,000-row
// INSERT, over a mix of OLTP, psql catalog and ORM statements. Run after a build:
//   node packages/sql/bench/analyze.mjs [rounds]
import { defaultLexerState, fingerprint, SqlAnalyzer } from '../dist/index.js';

const rounds = Number(process.argv[2] ?? 5);
const postgres = defaultLexerState('postgres');
const mysql = defaultLexerState('mysql');

const mix = [
  [postgres, 'SELECT id, email, created_at FROM public.users WHERE id = $1'],
  [postgres, 'SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20'],
  [
    postgres,
    'INSERT INTO events (kind, payload, at) VALUES (\'login\', \'{"ip":"10.0.0.1"}\', now()) RETURNING id',
  ],
  [postgres, 'UPDATE accounts SET balance = balance - $1 WHERE id = $2'],
  [postgres, 'DELETE FROM sessions WHERE expires_at < now()'],
  [postgres, 'SELECT id FROM jobs WHERE state = $1 ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED'],
  [postgres, 'SELECT * FROM users WHERE id = ANY($1::int[])'],
  [
    postgres,
    `SELECT n.nspname as "Schema", c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r','p','')
      AND n.nspname <> 'pg_catalog'
      AND n.nspname !~ '^pg_toast'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2`,
  ],
  [
    postgres,
    'SELECT "public"."User"."id", "public"."User"."email", "public"."User"."name" FROM "public"."User" WHERE ("public"."User"."email" = $1 AND 1=1) LIMIT $2 OFFSET $3',
  ],
  [postgres, 'SELECT EXISTS(SELECT FROM "public"."Post" WHERE "authorId" = $1)'],
  [postgres, 'BEGIN'],
  [postgres, 'COMMIT'],
  [mysql, 'SELECT `id`, `name` FROM `products` WHERE `category_id` = ? AND `price` > ? LIMIT 50'],
  [
    mysql,
    'INSERT INTO `cart_items` (`cart_id`, `product_id`, `qty`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `qty` = `qty` + 1',
  ],
  [mysql, "SHOW VARIABLES LIKE 'max_allowed_packet'"],
  [mysql, 'SET NAMES utf8mb4'],
];

const rows = Array.from(
  { length: 1000 },
  (_, index) => `(${index}, 'user${index}@example.com', 'User ${index}', now())`,
);
const bulkInsert = `INSERT INTO users (id, email, name, created_at) VALUES ${rows.join(', ')}`;

function microseconds(start, count) {
  return Number(process.hrtime.bigint() - start) / 1e3 / count;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

// Varying literals make each statement new text while the fingerprint stays the same.
function variant(sql, round) {
  return sql.replace(/\$1|\?/, (match) => match).replace(/LIMIT (\d+)/, `LIMIT ${round + 10}`);
}

const short = mix[0];
const catalog = mix[7];
const shortHits = [];
const catalogHits = [];
const cold = [];
const hit = [];
const fingerprints = [];
const bulk = [];
for (let round = 0; round < rounds; round += 1) {
  const analyzer = new SqlAnalyzer();
  let start = process.hrtime.bigint();
  for (const [state, sql] of mix) analyzer.analyze(variant(sql, round), state);
  cold.push(microseconds(start, mix.length));

  const repeats = 2000;
  start = process.hrtime.bigint();
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const [state, sql] of mix) analyzer.analyze(sql, state);
  }
  hit.push(microseconds(start, repeats * mix.length));

  for (const [[state, sql], samples] of [
    [short, shortHits],
    [catalog, catalogHits],
  ]) {
    start = process.hrtime.bigint();
    for (let repeat = 0; repeat < repeats * 4; repeat += 1) analyzer.analyze(sql, state);
    samples.push(microseconds(start, repeats * 4));
  }

  start = process.hrtime.bigint();
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const [state, sql] of mix) fingerprint(sql, state);
  }
  fingerprints.push(microseconds(start, repeats * mix.length));

  start = process.hrtime.bigint();
  const [result] = new SqlAnalyzer().analyze(bulkInsert, postgres);
  bulk.push(microseconds(start, 1));
  if (result?.kind !== 'insert') throw new Error('bulk insert misread');
}

console.log(`statements in the mix: ${mix.length}; rounds: ${rounds}`);
console.log(
  `cold analysis (parse + classify): ${median(cold).toFixed(1)} µs per statement (median of rounds)`,
);
console.log(`cache hit (lex + fingerprint + lookup): ${median(hit).toFixed(2)} µs per statement`);
console.log(`  of which a short OLTP SELECT: ${median(shortHits).toFixed(2)} µs`);
console.log(
  `  of which psql's \\dt catalog query (${catalog[1].length} chars): ${median(catalogHits).toFixed(2)} µs`,
);
console.log(`fingerprint alone: ${median(fingerprints).toFixed(2)} µs per statement`);
console.log(
  `1,000-row INSERT (${(bulkInsert.length / 1024).toFixed(0)} KiB), cold: ${(median(bulk) / 1000).toFixed(2)} ms`,
);
