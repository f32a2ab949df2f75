import type fc from 'fast-check';
import { type FuzzCase, mysqlFuzzCases, postgresFuzzCases, sampleCases } from './fuzz-cases.js';
import { mysqlLogin, mysqlSimpleQuery } from './mysql-raw.js';
import { pgLogin, pgSimpleQuery } from './postgres-raw.js';
import { type FuzzOutcome, type FuzzTarget, probeMysql, probePostgres } from './probes.js';

export type FuzzProtocol = 'postgres' | 'mysql';

export interface SocketFuzzOptions {
  readonly postgres?: FuzzTarget;
  readonly mysql?: FuzzTarget;
  readonly seed: number;
  /** Stop after this many fuzzed connections per protocol, or when `durationMs` has passed. */
  readonly connections?: number;
  readonly durationMs?: number;
  /** Fuzzed connections open at once per protocol. */
  readonly concurrency: number;
  /** Called for each fuzzed connection, e.g. to print progress. */
  readonly onOutcome?: (protocol: FuzzProtocol, fuzz: FuzzCase, outcome: FuzzOutcome) => void;
}

export interface SocketFuzzReport {
  /** Fuzzed connections by protocol. */
  readonly connections: Record<string, number>;
  /** `protocol ending code` → count, e.g. `postgres protocol-error 08P01`. */
  readonly endings: Record<string, number>;
  /** `protocol label ending` → count. */
  readonly byLabel: Record<string, number>;
  /** Rule breaks seen in answers, with the case that caused them (at most 20 kept). */
  readonly problems: readonly string[];
  /** Probes that could not run at all (a login refused, no greeting). */
  readonly probeFailures: readonly string[];
  /** Statements the good sessions ran, and those that failed or answered wrongly. */
  readonly goodStatements: Record<string, number>;
  /** The slowest good-session statement per protocol, in ms: a gateway that stalls shows here. */
  readonly goodSlowestMs: Record<string, number>;
  /** Fuzzed cases sent while the slowest good-session statement ran, to find what stalled it. */
  readonly goodSlowestSuspects: readonly string[];
  readonly goodFailures: readonly string[];
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Keeps one logged-in session per protocol running `SELECT n` in a loop while fuzzed byte
 * streams hit the same listeners on other connections; reports how each fuzzed connection ended
 * and whether the good sessions kept getting right answers.
 */
/** Fuzzed cases started lately, for telling what was sent when a good statement was slow. */
const recentCases: { readonly at: number; readonly text: string }[] = [];
const RECENT_CASES = 64;
/** A case sent this long before a slow statement started may still be what holds the gateway. */
const SUSPECT_LEAD_MS = 2000;

function casesSince(since: number): string[] {
  return recentCases.filter((entry) => entry.at >= since).map((entry) => entry.text);
}

function describeCase(protocol: FuzzProtocol, fuzz: FuzzCase): string {
  const hex = fuzz.chunks.map((chunk) => chunk.toString('hex')).join(' ');
  return `${protocol} ${fuzz.label} [${hex.length > 400 ? `${hex.slice(0, 400)}…` : hex}]`;
}

export async function runSocketFuzz(options: SocketFuzzOptions): Promise<SocketFuzzReport> {
  const report = {
    connections: {} as Record<string, number>,
    endings: {} as Record<string, number>,
    byLabel: {} as Record<string, number>,
    problems: [] as string[],
    probeFailures: [] as string[],
    goodStatements: {} as Record<string, number>,
    goodSlowestMs: {} as Record<string, number>,
    goodSlowestSuspects: [] as string[],
    goodFailures: [] as string[],
  };
  const deadline =
    options.durationMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.durationMs;
  const limit = options.connections ?? Number.POSITIVE_INFINITY;
  let fuzzing = true;

  const goodLoops: Promise<void>[] = [];
  const fuzzLoops: Promise<void>[] = [];
  const plans: [FuzzProtocol, FuzzTarget, fc.Arbitrary<FuzzCase>][] = [];
  if (options.postgres)
    plans.push([
      'postgres',
      options.postgres,
      postgresFuzzCases(options.postgres.user, options.postgres.database),
    ]);
  if (options.mysql) plans.push(['mysql', options.mysql, mysqlFuzzCases()]);

  for (const [protocol, target, arbitrary] of plans) {
    goodLoops.push(goodSession(protocol, target, () => fuzzing, report));
    let next = 0;
    let batch: FuzzCase[] = [];
    let batchSeed = options.seed;
    const take = (): FuzzCase | undefined => {
      if (next >= limit || Date.now() >= deadline) return undefined;
      if (batch.length === 0) batch = sampleCases(arbitrary, batchSeed++, 200);
      next += 1;
      return batch.pop();
    };
    for (let worker = 0; worker < options.concurrency; worker += 1) {
      fuzzLoops.push(
        (async () => {
          for (let fuzz = take(); fuzz; fuzz = take()) {
            bump(report.connections, protocol);
            recentCases.push({ at: Date.now(), text: describeCase(protocol, fuzz) });
            if (recentCases.length > RECENT_CASES) recentCases.shift();
            try {
              const outcome = await (protocol === 'postgres'
                ? probePostgres(target, fuzz)
                : probeMysql(target, fuzz));
              bump(report.endings, `${protocol} ${outcome.ending}${outcome.code ? ` ${outcome.code}` : ''}`);
              bump(report.byLabel, `${protocol} ${fuzz.label}: ${outcome.ending}`);
              for (const problem of outcome.problems) {
                if (report.problems.length < 20) {
                  report.problems.push(`${describeCase(protocol, fuzz)}: ${problem}`);
                }
              }
              options.onOutcome?.(protocol, fuzz, outcome);
            } catch (error) {
              if (report.probeFailures.length < 20)
                report.probeFailures.push(`${protocol} ${fuzz.label}: ${String(error)}`);
            }
          }
        })(),
      );
    }
  }
  await Promise.all(fuzzLoops);
  fuzzing = false;
  await Promise.all(goodLoops);
  return report;
}

async function goodSession(
  protocol: FuzzProtocol,
  target: FuzzTarget,
  running: () => boolean,
  report: {
    goodStatements: Record<string, number>;
    goodSlowestMs: Record<string, number>;
    goodSlowestSuspects: string[];
    goodFailures: string[];
  },
): Promise<void> {
  const login = protocol === 'postgres' ? pgLogin : mysqlLogin;
  const query = protocol === 'postgres' ? pgSimpleQuery : mysqlSimpleQuery;
  let session: Awaited<ReturnType<typeof login>>;
  try {
    session = await login(target.port, target.user, target.password, target.database);
  } catch (error) {
    report.goodFailures.push(`${protocol} good session could not log in: ${String(error)}`);
    return;
  }
  // At least one statement runs after the fuzzing ends, proving the session outlived it.
  for (let n = 1; ; n += 1) {
    const last = !running();
    const started = Date.now();
    const result = await query(session as never, `SELECT ${n} AS n`);
    const took = Date.now() - started;
    if (took > Math.max(0, ...Object.values(report.goodSlowestMs))) {
      report.goodSlowestSuspects.splice(
        0,
        Number.POSITIVE_INFINITY,
        ...casesSince(started - SUSPECT_LEAD_MS),
      );
    }
    report.goodSlowestMs[protocol] = Math.max(report.goodSlowestMs[protocol] ?? 0, took);
    bump(report.goodStatements, protocol);
    if (!('rows' in result) || result.rows[0] !== String(n)) {
      report.goodFailures.push(`${protocol} SELECT ${n}: ${JSON.stringify(result)}`);
      if (session.connection.closed) return;
    }
    if (last) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  session.connection.destroy();
}
