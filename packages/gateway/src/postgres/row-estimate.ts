import type { UpstreamConfig } from '@sluice/config';
import { backend, frontend } from '@sluice/wire-postgres';
import { connectUpstream } from './upstream.js';

/** An approver waits for nothing: past this, the request is shown without an estimate. */
const ESTIMATE_TIMEOUT_MS = 2000;
const PLANNABLE_KINDS: ReadonlySet<string> = new Set(['select', 'insert', 'update', 'delete', 'merge']);

/**
 * The planner's estimate of the rows a statement touches, for the person who approves it:
 * `EXPLAIN (FORMAT JSON)` on a connection of Sluice's own, through Parse and Bind, so the text is
 * one statement whatever it holds (Parse refuses several) and its parameters are bound as sent.
 * EXPLAIN without ANALYZE plans and never runs the statement. Null when the server cannot say.
 */
export async function estimateRows(
  upstream: UpstreamConfig,
  kind: string | null,
  text: string,
  parameters: readonly (string | null)[] | null,
): Promise<number | null> {
  if (kind === null || !PLANNABLE_KINDS.has(kind)) return null;
  let session: Awaited<ReturnType<typeof connectUpstream>> | undefined;
  try {
    session = await connectUpstream(upstream, { application_name: 'sluice-estimate' });
    session.socket.on('error', () => undefined);
    session.socket.write(
      Buffer.concat([
        frontend.Parse.encode({
          kind: 'parse',
          name: '',
          text: `EXPLAIN (FORMAT JSON) ${text}`,
          parameterTypes: [],
        }),
        frontend.Bind.encode({
          kind: 'bind',
          portal: '',
          statement: '',
          parameterFormats: [],
          parameters: (parameters ?? []).map((value) => (value === null ? null : Buffer.from(value))),
          resultFormats: [],
        }),
        frontend.Execute.encode({ kind: 'execute', portal: '', maxRows: 0 }),
        frontend.Sync.encode({ kind: 'sync' }),
      ]),
    );
    let plan: string | null = null;
    for (;;) {
      const frame = await session.reader.next(ESTIMATE_TIMEOUT_MS);
      if (frame.code === backend.DataRow.code)
        plan ??= backend.DataRow.decode(frame.bytes).values[0]?.toString() ?? null;
      if (frame.code === backend.ReadyForQuery.code) return planRows(plan);
    }
  } catch {
    return null;
  } finally {
    session?.socket.end(frontend.Terminate.encode({ kind: 'terminate' }));
  }
}

interface PlanNode {
  readonly 'Node Type'?: unknown;
  readonly 'Plan Rows'?: unknown;
  readonly Plans?: readonly PlanNode[];
}

/**
 * The top node's row estimate; for a write, the rows its scan finds (ModifyTable itself returns
 * none without RETURNING, and says 0).
 */
function planRows(plan: string | null): number | null {
  if (plan === null) return null;
  try {
    let node = (JSON.parse(plan) as { Plan?: PlanNode }[])[0]?.Plan;
    if (node?.['Node Type'] === 'ModifyTable') node = node.Plans?.[0];
    const rows = node?.['Plan Rows'];
    return typeof rows === 'number' ? rows : null;
  } catch {
    return null;
  }
}
