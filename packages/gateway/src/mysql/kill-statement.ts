/**
 * `KILL [HARD | SOFT] [CONNECTION | QUERY] <thread id>` alone in a query string. Clients take the
 * thread id from the greeting, which is Sluice's; the server knows only its own.
 * https://mariadb.com/kb/en/kill/
 */
const KILL_THREAD = /^(\s*kill\s+(?:(?:hard|soft)\s+)?(?:(?:connection|query)\s+)?)(\d+)(\s*;?\s*)$/i;

/** The statement with a Sluice thread id replaced by the upstream's, or the text unchanged. */
export function mapKillTarget(text: string, upstreamIdOf: (threadId: number) => number | undefined): string {
  const match = KILL_THREAD.exec(text);
  if (!match) return text;
  const upstreamId = upstreamIdOf(Number(match[2]));
  return upstreamId === undefined ? text : `${match[1]}${upstreamId}${match[3]}`;
}
