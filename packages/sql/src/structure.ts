import { withoutBinaryOperators } from './binary-operator.js';
import type { Classification } from './classification.js';
import { classify } from './classify.js';
import { renderStatement } from './fingerprint.js';
import { RESERVED } from './keywords.js';
import { lenientTokens } from './lenient.js';
import { outputColumnsOf } from './lineage.js';
import { type ParseOutcome, parseStatement } from './parse.js';
import type { Token } from './tokens.js';
import type { CopyFacts, Dialect, OutputColumn, StatementKind } from './types.js';

/**
 * A condition of a DML target as cached: the keyword before it and how many tokens with that
 * keyword come earlier, which statements sharing a fingerprint agree on.
 */
export interface CachedCondition {
  readonly keyword: string;
  readonly ordinal: number;
}

/** A DML target as cached; its conditions are evaluated on each statement's own tokens. */
export interface CachedDml {
  readonly kind: 'update' | 'delete';
  readonly table: string;
  readonly conditions: readonly CachedCondition[];
}

/**
 * Everything about a statement that statements sharing its fingerprint share: no literal values,
 * so one entry serves `… WHERE id = 1` and `… WHERE id = 2`.
 */
export interface StatementStructure {
  readonly kind: StatementKind;
  readonly command: string;
  readonly parsed: boolean;
  readonly understood: boolean;
  readonly problem: string | null;
  readonly tablesRead: readonly string[];
  readonly tablesWritten: readonly string[];
  readonly functions: readonly string[];
  readonly dml: readonly CachedDml[];
  readonly nestedDml: boolean;
  readonly dynamicSql: boolean;
  readonly copy: CopyFacts | null;
  readonly fileAccess: boolean;
  readonly outputColumns: readonly OutputColumn[] | null;
  readonly changesSettings: boolean;
}

const EXPECTED_AST_TYPES: Readonly<Record<string, readonly string[]>> = {
  select: ['select'],
  values: ['select'],
  table: ['select'],
  insert: ['insert'],
  replace: ['replace', 'insert'],
  update: ['update'],
  delete: ['delete'],
};

/**
 * Folds what the parser saw into the token facts: tables and functions the tokens missed. Names
 * that are keywords or aliases are the parser misreading (`DELETE FROM ONLY t`, MySQL's
 * `DELETE alias FROM …`). For a statement that is only planned (EXPLAIN), nothing is written.
 */
function mergeParse(result: Classification, outcome: ParsedStatement): void {
  const { facts } = result;
  for (const name of outcome.functions) facts.functions.add(name);
  const hasDml = new Set(facts.dml.map((target) => target.kind));
  for (const { operation, table } of outcome.tables) {
    if (RESERVED.has(table) || facts.aliases.has(table) || facts.cteNames.has(table)) continue;
    const known = facts.tablesRead.has(table) || facts.tablesWritten.has(table);
    const writes = operation !== 'select' && result.executes;
    if (!known) {
      if (writes) facts.write(table);
      else facts.read(table);
    }
    // The parser sees DML hidden in CTEs; a target the tokens missed is taken as unrestricted.
    if (writes && (operation === 'delete' || operation === 'update') && !hasDml.has(operation)) {
      facts.dml.push({ kind: operation, table, conditions: [] });
      hasDml.add(operation);
    }
  }
}

const WRITES = new Set(['insert', 'replace', 'update', 'delete']);

/** `INSERT|UPDATE|DELETE … RETURNING *`, which the parser cannot read: whole rows of the targets. */
function returningStar(tokens: readonly Token[], result: Classification): OutputColumn[] | null {
  const last = tokens.length - 1;
  const isStar = tokens[last]?.kind === 'operator' && tokens[last]?.value === '*';
  const returning = tokens[last - 1];
  if (!isStar || returning?.kind !== 'word' || returning.value !== 'returning') return null;
  if (result.mainWord === null || !WRITES.has(result.mainWord)) return null;
  return [...result.facts.tablesWritten].map((table) => ({
    name: '*',
    sources: [{ table, column: '*' }],
    direct: true,
    star: true,
    opaque: false,
  }));
}

type ParsedStatement = Extract<ParseOutcome, { ok: true }>;

/** The parse of `input` when it succeeds and is the statement the tokens say it is. */
function agreeingParse(result: Classification, input: string, dialect: Dialect): ParsedStatement | null {
  const outcome = parseStatement(input, dialect);
  if (!outcome.ok) return null;
  const expected = result.mainWord === null ? undefined : EXPECTED_AST_TYPES[result.mainWord];
  return expected === undefined || expected.includes(String(outcome.ast.type)) ? outcome : null;
}

/** Lineage read with MySQL's `BINARY` operators dropped; null when there are none or it fails. */
function lineageWithoutBinary(
  result: Classification,
  tokens: readonly Token[],
  from: number,
  to: number,
): OutputColumn[] | null {
  const rewritten = withoutBinaryOperators(tokens, from, to);
  if (rewritten === null) return null;
  const input = lenientTokens(rewritten, 0, rewritten.length) ?? rewritten;
  const outcome = agreeingParse(
    result,
    renderStatement(input, 0, input.length, 'mysql', true).parserInput,
    'mysql',
  );
  return outcome === null ? null : outputColumnsOf(outcome.ast);
}

function cachedCondition(tokens: readonly Token[], keywordIndex: number): CachedCondition {
  const keyword = (tokens[keywordIndex] as Token).value;
  let ordinal = 0;
  for (let index = 0; index < keywordIndex; index += 1) {
    const token = tokens[index] as Token;
    if (token.kind === 'word' && token.value === keyword) ordinal += 1;
  }
  return { keyword, ordinal };
}

function freeze<T>(items: T[]): readonly T[] {
  return Object.freeze(items);
}

/** Classifies and, when it helps and the statement is not large, parses one statement. */
export function structureOf(
  tokens: readonly Token[],
  sql: string,
  dialect: Dialect,
  parse: boolean,
): StatementStructure {
  const result = classify(sql, tokens, dialect);
  let parsed = false;
  let outputColumns = result.outputColumns;
  if (parse && result.recognised && result.parseRange !== null) {
    const { from, to } = result.parseRange;
    const outcome = agreeingParse(
      result,
      renderStatement(tokens, from, to, dialect, true).parserInput,
      dialect,
    );
    // A simplified copy the parser can read still tells where output columns come from; the
    // statement itself stays unparsed.
    const simplified = outcome === null && result.rowsFromParse ? lenientTokens(tokens, from, to) : null;
    const fallback =
      simplified === null
        ? null
        : agreeingParse(
            result,
            renderStatement(simplified, 0, simplified.length, dialect, true).parserInput,
            dialect,
          );
    const used = outcome ?? fallback;
    if (used !== null) {
      parsed = outcome !== null;
      mergeParse(result, used);
      if (result.rowsFromParse) outputColumns = outputColumnsOf(used.ast);
    }
    if (result.rowsFromParse && dialect === 'mysql') {
      outputColumns = lineageWithoutBinary(result, tokens, from, to) ?? outputColumns;
    }
  }
  if (outputColumns === null && result.rowsFromParse) outputColumns = returningStar(tokens, result);
  const { facts } = result;
  const understood = result.recognised && (parsed || facts.doubts.length === 0);
  const problem = understood
    ? null
    : (result.problem ?? facts.doubts[0] ?? 'the statement cannot be analysed');
  return {
    kind: result.kind,
    command: result.command,
    parsed,
    understood,
    problem,
    tablesRead: freeze([...facts.tablesRead]),
    tablesWritten: freeze([...facts.tablesWritten]),
    functions: freeze([...facts.functions]),
    dml: freeze(
      facts.dml.map((target) => ({
        kind: target.kind,
        table: target.table,
        conditions: target.conditions.map((index) => cachedCondition(tokens, index)),
      })),
    ),
    nestedDml: facts.nestedWrites.length > 0,
    dynamicSql: result.dynamicSql,
    copy: result.copy,
    fileAccess: facts.fileAccess,
    outputColumns: outputColumns === null ? null : freeze(outputColumns),
    changesSettings: result.changesSettings,
  };
}

/** The facts a policy decides on; two structures that differ here describe different statements. */
export function decisiveFacts(structure: StatementStructure): string {
  const {
    kind,
    command,
    tablesRead,
    tablesWritten,
    functions,
    dml,
    dynamicSql,
    copy,
    fileAccess,
    changesSettings,
  } = structure;
  return JSON.stringify([
    kind,
    command,
    tablesRead,
    tablesWritten,
    functions,
    dml,
    dynamicSql,
    copy,
    fileAccess,
    changesSettings,
  ]);
}
