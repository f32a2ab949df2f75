import type { UpstreamConfig } from '@sluice/config';
import { backend, frontend } from '@sluice/wire-postgres';
import { connectUpstream, type UpstreamSession } from './upstream.js';

/** An approver waits for nothing: past this, the request is shown without an estimate. */
const ESTIMATE_TIMEOUT_MS = 2000;
const PLANNABLE_KINDS: ReadonlySet<string> = new Set(['select', 'insert', 'update', 'delete', 'merge']);

interface PlanNode {
  readonly 'Node Type'?: unknown;
  readonly 'Plan Rows'?: unknown;
  readonly Plans?: readonly PlanNode[];
}

/**
 * The planner's estimate of the rows a statement touches, for the person who approves it:
 * `EXPLAIN (FORMAT JSON)` through Parse and Bind, so the text is one statement whatever it holds
 * (Parse refuses several) and its parameters are bound as sent. EXPLAIN without ANALYZE plans
 * and never runs the statement. One connection of Sluice's own per upstream, used by one
 * estimate at a time: a burst of held statements never takes the server's connection slots.
 */
export class RowEstimates {
  private session: Promise<UpstreamSession> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly upstream: UpstreamConfig) {}

  /** Null when the server cannot say (not a plannable statement, an error, a timeout). */
  estimate(
    kind: string | null,
    text: string,
    parameters: readonly (string | null)[] | null,
  ): Promise<number | null> {
    if (kind === null || !PLANNABLE_KINDS.has(kind)) return Promise.resolve(null);
    const result = this.queue.then(() => this.explain(text, parameters)).catch(() => this.dropSession());
    this.queue = result;
    return result;
  }

  close(): void {
    void this.dropSession();
  }

  private async explain(text: string, parameters: readonly (string | null)[] | null): Promise<number | null> {
    const session = await this.connect();
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
  }

  private connect(): Promise<UpstreamSession> {
    this.session ??= connectUpstream(this.upstream, { application_name: 'sluice-estimate' }).then(
      (session) => {
        session.socket.on('error', () => undefined);
        session.socket.unref();
        return session;
      },
    );
    return this.session;
  }

  /** After a failure the connection's state is unknown: the next estimate opens a new one. */
  private async dropSession(): Promise<null> {
    const session = this.session;
    this.session = null;
    const open = await session?.catch(() => null);
    open?.socket.end(frontend.Terminate.encode({ kind: 'terminate' }));
    return null;
  }
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
