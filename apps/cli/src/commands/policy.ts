import { existsSync } from 'node:fs';
import { activeGrantsFromRecords, type Grant } from '@sluice/control';
import { DEFAULT_POLICY, decideAll } from '@sluice/policy';
import { defaultLexerState, SqlAnalyzer, type StatementAnalysis } from '@sluice/sql';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { readConfig, repeatable, withJournal } from '../config-option.js';
import { print } from '../output.js';

interface PolicyTestOptions {
  readonly config: string;
  readonly as: string;
  readonly group?: string[];
  readonly connection?: string;
  readonly json?: boolean;
}

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('try policies without a database');
  policy
    .command('test <sql>')
    .description('the decision for one statement (or query string), an identity and a connection, and why')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .requiredOption('--as <identity>', 'the caller: a service account name or an OIDC subject')
    .option(
      '-g, --group <group>',
      "a group of the caller, repeatable (default: the service account's groups)",
      repeatable,
    )
    .option('--connection <name>', 'the connection (default: the first one)')
    .option('--json', 'machine-readable output')
    .action((sql: string, options: PolicyTestOptions) => {
      const config = readConfig(options.config);
      const connection = options.connection
        ? config.connections.find((c) => c.name === options.connection)
        : config.connections[0];
      if (!connection)
        throw new CliError(`no connection named "${options.connection ?? ''}" in ${options.config}`);
      const policyConfig = connection.policy ? config.policies.get(connection.policy) : DEFAULT_POLICY;
      if (!policyConfig) throw new CliError(`connection "${connection.name}" names an unknown policy`);
      const groups = options.group ?? accountGroups(config.journal.path, options.as);
      const grants = activeGrants(config.journal.path).filter(
        (grant) =>
          grant.connection === connection.name &&
          (grant.identity === options.as || (grant.group !== null && groups.includes(grant.group))),
      );
      const dialect = connection.protocol;
      const lexerState = defaultLexerState(dialect);
      const statements = new SqlAnalyzer().analyze(sql, lexerState);
      const decision = decideAll(policyConfig, statements, {
        identity: { name: options.as, groups },
        connection: connection.name,
        defaultSchema: dialect === 'postgres' ? 'public' : connection.upstream.database,
        lexerState,
        grants,
      });
      const report = {
        connection: connection.name,
        policy: connection.policy ?? '(default: strict guardrails)',
        identity: { name: options.as, groups },
        decision: decision.action,
        rule: decision.rule,
        reason: decision.reason,
        grant: decision.grant ? describeGrant(grants.find((grant) => grant.id === decision.grant)) : null,
        statements: statements.map(describeStatement),
      };
      print(options.json, report, () => humanReport(report.decision, report.rule, report.reason, statements));
    });
}

/** Grants active now, as the journal records them: what a running gateway also applies. */
function activeGrants(journalPath: string): Grant[] {
  if (!existsSync(journalPath)) return [];
  return withJournal(
    { journal: journalPath },
    (journal) => activeGrantsFromRecords(journal.entriesOfType('grant')),
    true,
  );
}

function describeGrant(grant: Grant | undefined): Record<string, unknown> | null {
  if (!grant) return null;
  return {
    id: grant.id,
    allow: grant.allow,
    tables: grant.tables,
    expires_at: grant.expiresAt.toISOString(),
    created_by: grant.createdBy,
    reason: grant.reason,
  };
}

/** Groups of a service account, when the journal knows it; an OIDC subject needs --group. */
function accountGroups(journalPath: string, name: string): readonly string[] {
  if (!existsSync(journalPath)) return [];
  return withJournal({ journal: journalPath }, (journal) => journal.getAccount(name)?.groups ?? [], true);
}

function describeStatement(statement: StatementAnalysis): Record<string, unknown> {
  return {
    statement: statement.text,
    kind: statement.kind,
    command: statement.command,
    understood: statement.understood,
    problem: statement.problem,
    tables_read: statement.tablesRead,
    tables_written: statement.tablesWritten,
    functions: statement.functions,
    lineage: statement.outputColumns?.map((column) => ({
      column: column.name,
      sources: column.sources.map((s) => (s.table ? `${s.table}.${s.column}` : s.column)),
      direct: column.direct,
      opaque: column.opaque,
    })),
  };
}

function humanReport(
  action: string,
  rule: string,
  reason: string,
  statements: readonly StatementAnalysis[],
): string {
  const lines = [`decision: ${action}`, `rule:     ${rule}`, `reason:   ${reason}`];
  for (const [index, statement] of statements.entries()) {
    lines.push('', `statement ${index + 1}: ${statement.text.trim()}`);
    lines.push(
      `  kind:    ${statement.kind} (${statement.command})${statement.understood ? '' : ' — not understood'}`,
    );
    const tables = [
      ...statement.tablesRead.map((t) => `${t} (read)`),
      ...statement.tablesWritten.map((t) => `${t} (written)`),
    ];
    if (tables.length) lines.push(`  tables:  ${tables.join(', ')}`);
    if (statement.functions.length) lines.push(`  calls:   ${statement.functions.join(', ')}`);
    for (const column of statement.outputColumns ?? []) {
      const sources = column.sources.map((s) => (s.table ? `${s.table}.${s.column}` : s.column)).join(', ');
      lines.push(`  column ${column.name} ← ${sources || (column.opaque ? 'unknown' : 'constant')}`);
    }
  }
  return lines.join('\n');
}
