import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Journal } from '@sluice/journal';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type Report, renderReport, settingsFromConfig } from '../src/index.js';
import { type SeededJournal, seedJournal } from './support/seeded-journal.js';

const CLI = fileURLToPath(new URL('../../../apps/cli/dist/main.js', import.meta.url));
const DAY_MS = 86_400_000;

let seeded: SeededJournal;
let report: Report;
/** Three whole days ending tomorrow (UTC): the chart must show three day groups. */
const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
const period = { from: new Date(today.getTime() - 2 * DAY_MS), to: new Date(today.getTime() + DAY_MS) };

beforeAll(async () => {
  seeded = await seedJournal();
  const journal = Journal.open(seeded.journalPath, { readonly: true });
  try {
    report = buildReport(journal, {
      period,
      journalPath: seeded.journalPath,
      settings: settingsFromConfig(seeded.config),
    });
  } finally {
    journal.close();
  }
}, 120_000);
afterAll(() => seeded?.stop());

/** The same figures, counted straight from the records table. */
function countedFromRecords() {
  const db = new Database(seeded.journalPath, { readonly: true });
  try {
    const range = [period.from.toISOString(), period.to.toISOString()];
    const byType = Object.fromEntries(
      db
        .prepare<string[], { type: string; n: number }>(
          'SELECT type, count(*) AS n FROM records WHERE at >= ? AND at < ? GROUP BY type',
        )
        .all(...range)
        .map((r) => [r.type, r.n]),
    );
    const decisions = Object.fromEntries(
      db
        .prepare<string[], { d: string; n: number }>(
          `SELECT json_extract(payload, '$.decision') AS d, count(*) AS n FROM records WHERE type = 'statement' AND at >= ? AND at < ? GROUP BY d`,
        )
        .all(...range)
        .map((r) => [r.d, r.n]),
    );
    const failed = db
      .prepare<string[], number>(
        `SELECT sum(json_extract(payload, '$.count')) FROM records WHERE type = 'sign_in_failed' AND at >= ? AND at < ?`,
      )
      .pluck()
      .get(...range);
    return { byType, decisions, failed };
  } finally {
    db.close();
  }
}

describe('sluice report on a journal written through the gateway', () => {
  it('holds every kind of event, and its counts are the records’ own', () => {
    const counted = countedFromRecords();
    for (const type of [
      'session_start',
      'session_end',
      'statement',
      'statement_end',
      'account',
      'approval',
      'grant',
      'admin',
      'sign_in_failed',
    ]) {
      expect(counted.byType[type], type).toBeGreaterThan(0);
    }
    expect(report.counts.recordsByType).toEqual(counted.byType);
    expect(report.counts.statementsByDecision).toEqual({
      allowed: 0,
      blocked: 0,
      approved: 0,
      denied: 0,
      expired: 0,
      ...counted.decisions,
    });
    expect(report.counts.statementsByDecision).toMatchObject({
      blocked: 4,
      approved: 1,
      denied: 1,
      expired: 1,
    });
    expect(report.counts.statements).toBe(counted.byType.statement);
    expect(report.counts.failedSignIns).toBe(counted.failed);
    expect(report.counts.failedSignInsByCause).toEqual({ expired: 1, revoked: 1, 'wrong-secret': 7 });
    expect(report.counts.signInsByMethod).toEqual({ mysql_native_password: 1, 'scram-sha-256': 1 });
    expect(report.chain).toMatchObject({ ok: true, problemsInPeriod: 0 });
  });

  it('puts the findings first, each with its records', () => {
    const ids = report.findings.map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'guardrails-off-billing',
        'approvals-expired',
        'failed-logins-ci-bot',
        'locked-out-attempts',
        'accounts-past-expiry',
        'identities-never-used',
        'blocked-repeated',
      ]),
    );
    expect(report.findings[0]?.severity).toBe('high');
    const burst = report.findings.find((f) => f.id === 'failed-logins-ci-bot');
    expect(burst?.title).toContain('7 failed sign-ins');
    // PostgreSQL's first failure, MySQL's, then the coalesced repeats of PostgreSQL's.
    expect(burst?.records.length).toBe(3);
    expect(report.findings.find((f) => f.id === 'identities-never-used')?.detail).toBe('idle-bot, old-bot');
    const named = new Set(report.findings.flatMap((f) => f.records));
    expect(report.referencedRecords.map((r) => r.seq)).toEqual([...named].sort((a, b) => a - b));
    expect(report.referencedRecords.find((r) => r.seq === burst?.records[0])).toMatchObject({
      type: 'sign_in_failed',
    });
    expect(report.sections.map((s) => s.control)).toEqual([
      'AC-2',
      'AU-2 / AU-3',
      'AU-6',
      'AU-9',
      'AU-11',
      'IA-2',
      'SC-7',
    ]);
  });

  it('states the same counts in Markdown, JSON and HTML', () => {
    const counted = countedFromRecords();
    const json = JSON.parse(renderReport(report, 'json')) as Report;
    expect(json.counts.recordsByType).toEqual(counted.byType);
    const md = renderReport(report, 'md');
    const html = renderReport(report, 'html');
    for (const [type, count] of Object.entries(counted.byType)) {
      expect(md).toContain(`| ${type} | ${count} |`);
      expect(html).toContain(`<tr><td>${type}</td><td>${count}</td></tr>`);
    }
    for (const [decision, count] of Object.entries(counted.decisions)) {
      expect(md).toContain(`| ${decision} | ${count} |`);
      expect(html).toContain(`<tr><td>${decision}</td><td>${count}</td></tr>`);
    }
    expect(md).toContain(`- Failed sign-ins: **${counted.failed}**`);
    expect(html).toContain(`<dt>Failed sign-ins</dt><dd>${counted.failed}</dd>`);
    expect(md.indexOf('## Findings')).toBeLessThan(md.indexOf('## AC-2'));
  });

  it('is produced by the CLI from the journal file alone, in each format', async () => {
    const run = promisify(execFile);
    const args = [
      'report',
      '--config',
      seeded.configPath,
      '--from',
      period.from.toISOString(),
      '--to',
      period.to.toISOString(),
    ];
    const { stdout } = await run(process.execPath, [CLI, ...args, '--format', 'json'], {
      env: { ...process.env, PG_PASSWORD: 'x', MY_PASSWORD: 'x' },
    });
    const fromCli = JSON.parse(stdout) as Report;
    expect(fromCli.counts).toEqual(report.counts);
    const out = join(seeded.dir, 'report.md');
    await run(process.execPath, [CLI, ...args, '--format', 'md', '--out', out], {
      env: { ...process.env, PG_PASSWORD: 'x', MY_PASSWORD: 'x' },
    });
    expect(readFileSync(out, 'utf8')).toContain('## AU-9 — Protection of audit information');
  });

  it('opens in Chromium without console errors, one bar group per day, and prints to PDF', async () => {
    const file = join(seeded.dir, 'report.html');
    writeFileSync(file, renderReport(report, 'html'));
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
      await page.goto(`file://${file}`);
      const days = await page
        .locator('#chart-days g.day')
        .evaluateAll((groups) => groups.map((g) => g.getAttribute('data-day')));
      expect(days).toEqual(
        [0, 1, 2].map((n) => new Date(period.from.getTime() + n * DAY_MS).toISOString().slice(0, 10)),
      );
      const todaysBars = await page
        .locator(`#chart-days g.day[data-day="${today.toISOString().slice(0, 10)}"] rect`)
        .count();
      expect(todaysBars).toBe(5);
      const screenshot = await page.screenshot({ fullPage: true });
      writeFileSync(process.env.SLUICE_REPORT_SCREENSHOT ?? join(seeded.dir, 'report.png'), screenshot);
      const chart = await page.locator('#chart-days').screenshot();
      expect(chart.subarray(1, 4).toString()).toBe('PNG');
      expect(chart.readUInt32BE(16)).toBeGreaterThan(600);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(8);
      const brokenLinks = await page.evaluate(() =>
        [...document.querySelectorAll('a[href^="#"]')]
          .map((link) => link.getAttribute('href')?.slice(1) ?? '')
          .filter((id) => !document.getElementById(id)),
      );
      expect(brokenLinks).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
