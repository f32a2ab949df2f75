import type { GuardrailLevel } from '@sluice/config';
import { guardrailFor } from '@sluice/policy';
import { defaultLexerState, type SqlAnalyzer } from '@sluice/sql';
import { parseOptions } from './startup-options.js';

/** Startup parameters that are not server settings. */
const NOT_SETTINGS: ReadonlySet<string> = new Set(['user', 'database', 'replication', 'options']);
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** The guardrails about settings that a StartupMessage could otherwise get past. */
const STARTUP_GUARDRAILS: ReadonlySet<string> = new Set(['search-path', 'loosened-setting']);
const POSTGRES = defaultLexerState('postgres');

/** Every setting a StartupMessage asks the server for: its own parameters and those in `options`. */
export function startupSettings(
  parameters: Readonly<Record<string, string>>,
): { name: string; value: string }[] {
  const settings = Object.entries(parameters)
    .filter(([name]) => !NOT_SETTINGS.has(name) && PLAIN_NAME.test(name))
    .map(([name, value]) => ({ name, value }));
  const options = parseOptions(parameters.options ?? '');
  if (options.ok) settings.push(...options.settings);
  return settings;
}

/**
 * The refusal for a startup setting that guardrails would refuse as a `SET` (a search path Sluice
 * does not read, a loosened read-only mode), or undefined. Startup settings apply before the
 * first statement, so they are judged as the statements they stand for.
 */
export function refusedStartupSetting(
  parameters: Readonly<Record<string, string>>,
  level: GuardrailLevel,
  analyzer: SqlAnalyzer,
): string | undefined {
  if (level === 'off') return undefined;
  for (const { name, value } of startupSettings(parameters)) {
    const statement = `SET ${name} TO '${value.replace(/'/g, "''")}'`;
    for (const analysis of analyzer.analyze(statement, POSTGRES)) {
      const trip = guardrailFor(level, analysis, POSTGRES);
      if (trip !== undefined && STARTUP_GUARDRAILS.has(trip.id))
        return `sluice: blocked by guardrail:${trip.id}: startup parameter ${name}: ${trip.reason}`;
    }
  }
  return undefined;
}
