import { createHmac } from 'node:crypto';
import type { SluiceConfig, WebhookFormat } from '@sluice/config';
import type { Control } from '@sluice/control';
import type { Logger } from 'pino';
import { type ApprovalNotice, jsonMessage, slackMessage, WEBHOOK_ACTIONS } from './webhook-message.js';

export interface WebhookTarget {
  readonly url: string;
  readonly format: WebhookFormat;
  readonly secret: string | undefined;
}

export interface WebhookOptions {
  /** Tries per delivery, the first included. */
  readonly attempts?: number;
  /** The wait before the second try; it doubles for each later one. */
  readonly retryBaseMs?: number;
  readonly timeoutMs?: number;
}

/**
 * Delivers approval requests and decisions to `admin.webhooks` and to the `approval.webhook` of
 * the request's policy. Off the data path: a delivery runs on its own, retried with exponential
 * back-off, and a failure is logged (with the receiver's origin only: webhook URLs often carry
 * a secret) and dropped.
 */
export class WebhookDispatcher {
  private readonly stop: () => void;
  private readonly inFlight = new Set<AbortController>();
  private readonly attempts: number;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly config: SluiceConfig,
    control: Control,
    private readonly log: Logger,
    options: WebhookOptions = {},
  ) {
    this.attempts = options.attempts ?? 4;
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.stop = control.events.on((event) => {
      if (event.type !== 'approval' || !WEBHOOK_ACTIONS.includes(event.action)) return;
      const notice = { action: event.action, actor: event.actor, request: event.request };
      for (const target of this.targetsFor(event.request.connection)) {
        void this.deliver(target, notice);
      }
    });
  }

  targetsFor(connectionName: string): WebhookTarget[] {
    const targets: WebhookTarget[] = (this.config.admin?.webhooks ?? []).map((hook) => ({
      url: hook.url,
      format: hook.format,
      secret: hook.secret?.reveal(),
    }));
    const connection = this.config.connections.find((each) => each.name === connectionName);
    const policy = connection?.policy ? this.config.policies.get(connection.policy) : undefined;
    const own = policy?.approval?.webhook;
    if (own && !targets.some((target) => target.url === own)) {
      targets.push({ url: own, format: 'json', secret: undefined });
    }
    return targets;
  }

  close(): void {
    this.stop();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private async deliver(target: WebhookTarget, notice: ApprovalNotice): Promise<void> {
    const body = JSON.stringify(target.format === 'slack' ? slackMessage(notice) : jsonMessage(notice));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'sluice-webhook',
    };
    if (target.secret) {
      headers['x-sluice-signature'] =
        `sha256=${createHmac('sha256', target.secret).update(body).digest('hex')}`;
    }
    const controller = new AbortController();
    this.inFlight.add(controller);
    const origin = originOf(target.url);
    try {
      for (let attempt = 1; attempt <= this.attempts; attempt++) {
        const problem = await this.post(target.url, body, headers, controller.signal);
        if (problem === null) return;
        if (controller.signal.aborted) return;
        const last = attempt === this.attempts;
        this.log.warn(
          { webhook: origin, request: notice.request.id, attempt, problem },
          last ? 'webhook delivery failed; giving up' : 'webhook delivery failed; will retry',
        );
        if (last) return;
        await sleep(this.retryBaseMs * 2 ** (attempt - 1), controller.signal);
      }
    } finally {
      this.inFlight.delete(controller);
    }
  }

  /** null when the receiver accepted (2xx); what went wrong otherwise. */
  private async post(
    url: string,
    body: string,
    headers: Record<string, string>,
    stop: AbortSignal,
  ): Promise<string | null> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers,
        signal: AbortSignal.any([stop, AbortSignal.timeout(this.timeoutMs)]),
      });
      await response.body?.cancel();
      return response.ok ? null : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
