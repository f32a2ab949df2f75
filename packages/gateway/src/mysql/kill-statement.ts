import type { StatementAnalysis } from '@sluice/sql';

/**
 * A query string with every KILL of a thread id Sluice gave out rewritten to the upstream's id,
 * in every form the analyser reads (`KILL QUERY n`, `KILL HARD CONNECTION n`, inside executable
 * comments, in a multi-statement string); other text is unchanged. Clients take thread ids from
 * Sluice's greeting, while the server knows only its own. https://mariadb.com/kb/en/kill/
 */
export function mapKillTargets(
  text: string,
  statements: readonly StatementAnalysis[],
  upstreamIdOf: (threadId: number) => number | undefined,
): string {
  const replacements: { start: number; end: number; id: number }[] = [];
  for (const statement of statements) {
    if (!statement.command.startsWith('KILL')) continue;
    for (const { target } of statement.reach.signals) {
      if (target === null || target === 'self') continue;
      const upstreamId = upstreamIdOf(target.id);
      if (upstreamId !== undefined && upstreamId !== target.id)
        replacements.push({ start: target.start, end: target.end, id: upstreamId });
    }
  }
  if (replacements.length === 0) return text;
  let mapped = text;
  for (const { start, end, id } of replacements.sort((a, b) => b.start - a.start))
    mapped = `${mapped.slice(0, start)}${id}${mapped.slice(end)}`;
  return mapped;
}
