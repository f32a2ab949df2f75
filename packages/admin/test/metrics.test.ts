import { Control } from '@sluice/control';
import { describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../src/index.js';
import { statementRequest } from './support/admin-harness.js';

function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('PrometheusMetrics', () => {
  it('counts what the gateway reports', async () => {
    const metrics = new PrometheusMetrics(new Control());
    metrics.sessionOpened('orders', 'postgres');
    metrics.statementDecided('orders', 'allowed');
    metrics.statementDecided('orders', 'allowed');
    metrics.statementDecided('orders', 'blocked');
    metrics.statementTimed('orders', 0.0004, 0.02);
    metrics.bytesRelayed('orders', 'to_client', 1500);
    metrics.journalCommitted(0.0008, 3);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'sluice_sessions_total', '{connection="orders",protocol="postgres"}')).toBe(1);
    expect(sample(text, 'sluice_statements_total', '{connection="orders",decision="allowed"}')).toBe(2);
    expect(sample(text, 'sluice_statements_total', '{connection="orders",decision="blocked"}')).toBe(1);
    expect(sample(text, 'sluice_statement_sluice_seconds_count', '{connection="orders"}')).toBe(1);
    expect(sample(text, 'sluice_statement_database_seconds_bucket', '{le="0.025",connection="orders"}')).toBe(
      1,
    );
    expect(sample(text, 'sluice_bytes_relayed_total', '{connection="orders",direction="to_client"}')).toBe(
      1500,
    );
    expect(sample(text, 'sluice_journal_records_total')).toBe(3);
    expect(sample(text, 'sluice_journal_commit_seconds_count')).toBe(1);
    metrics.close();
  });

  it('reads pending approvals when scraped and counts decisions', async () => {
    const control = new Control();
    const metrics = new PrometheusMetrics(control);
    const first = control.approvals.request(statementRequest('ci-bot'));
    control.approvals.request(statementRequest('ci-bot'));
    expect(sample(await metrics.registry.metrics(), 'sluice_approvals_pending')).toBe(2);
    control.approvals.withdraw(first.id, 'client left');
    const text = await metrics.registry.metrics();
    expect(sample(text, 'sluice_approvals_pending')).toBe(1);
    expect(sample(text, 'sluice_approvals_decided_total', '{outcome="withdrawn"}')).toBe(1);
    control.close('test over');
    metrics.close();
  });
});
