import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MARIADB_CLIENT_PATH } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

const script = readFileSync(fileURLToPath(new URL('./fixtures/mysql-session.sql', import.meta.url)), 'utf8');
/** The one statement of the script that the policy blocks. */
const BLOCKED = 'SELECT secret FROM vault;';

let h: MysqlHarness;
beforeAll(async () => {
  h = await startMysqlHarness({
    policyYaml: `    guardrails: off
    rules:
      - name: no-vault
        match: { tables: [vault], kind: [select] }
        action: block`,
  });
});
afterAll(() => h?.close());

interface CliOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** The mariadb client in batch mode with tables, statement echo and "Query OK" lines, on errors going on. */
function mariadbCli(port: number, user: string, password: string, input: string): Promise<CliOutput> {
  const args = ['--no-defaults', '--protocol=TCP', '-h', '127.0.0.1', '-P', String(port), '-u', user];
  args.push('-D', h.db.database, '--default-character-set=utf8mb4', '--table', '--force', '-vv');
  return new Promise((resolve, reject) => {
    const child = execFile(
      MARIADB_CLIENT_PATH ?? 'mariadb',
      args,
      { env: { PATH: process.env.PATH, MYSQL_PWD: password } },
      (error, stdout, stderr) => {
        // --force makes it exit non-zero after a failed statement, having run them all.
        if (error && !stderr.includes('ERROR')) reject(error);
        else resolve({ stdout, stderr });
      },
    );
    child.stdin?.end(input);
  });
}

describe('the mariadb command-line client through Sluice', () => {
  it('prints what it prints against the server directly, but for the blocked statement', async () => {
    // Blanked rather than removed, so both runs report errors at the same line numbers.
    const direct = await mariadbCli(
      h.db.port,
      h.db.appUser.user,
      h.db.appUser.password,
      script.replace(BLOCKED, ''),
    );
    const through = await mariadbCli(h.port, h.agent.name, h.agent.secret, script);
    expect(direct.stdout).toContain('|  3 | Çelik  | c@example.com   | NULL       |');
    expect(direct.stdout).toContain('Rows matched: 1  Changed: 0  Warnings: 0');
    expect(direct.stderr).toContain("ERROR 1146 (42S02) at line 16: Table 'app.no_such_table' doesn't exist");

    const echo = `--------------\n${BLOCKED.replace(/;$/, '')}\n--------------\n\n`;
    expect(through.stdout).toContain(echo);
    expect(through.stdout.replace(echo, '').split('\n')).toEqual(direct.stdout.split('\n'));
    const refusal = 'ERROR 1227 (42000) at line 15: sluice: blocked by no-vault: ';
    const [blockedLine, ...otherErrors] = through.stderr.split('\n');
    expect(blockedLine).toMatch(new RegExp(`^${refusal.replace(/[()]/g, '\\$&')}`));
    expect(otherErrors.join('\n')).toBe(direct.stderr);
  });

  it('journals what the client sent, including its USE as COM_INIT_DB, with the caller identity', () => {
    const records = [...h.journal.statements({ identity: h.agent.name })];
    const texts = records.map((r) => r.statement);
    expect(texts).toContain('SELECT COUNT(*) FROM customers');
    expect(texts).toContain('USE `app`');
    expect(records.find((r) => r.statement === 'SELECT secret FROM vault')).toMatchObject({
      decision: 'blocked',
      rule: 'no-vault',
      protocol: 'mysql',
    });
  });
});
