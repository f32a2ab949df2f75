import { join } from 'node:path';
import { ADMIN_TOKEN_FILE, CONFIG_FILE, GATEWAY_LOG_FILE, JOURNAL_FILE, JWKS_FILE } from './demo-config.js';
import type { ServiceAccount } from './identities.js';
import type { Transcript } from './transcript.js';

/** What the demo left in its directory, and the commands that read it. */
export function printFiles(transcript: Transcript, dir: string, configPath: string): void {
  transcript.title('What the demo left behind');
  transcript.table(
    ['FILE', 'WHAT'],
    [
      [configPath, 'the config Sluice ran with (sluice check / sluice start --config FILE)'],
      [join(dir, JOURNAL_FILE), 'the journal (sluice audit tail / verify / export --journal FILE)'],
      [join(dir, JWKS_FILE), "the public key of the demo's identity provider"],
      [join(dir, ADMIN_TOKEN_FILE), 'the admin API token (sluice approvals / sessions --config FILE)'],
      [join(dir, GATEWAY_LOG_FILE), "the gateway's log"],
    ],
  );
}

/** The connection string for psql; the secret is printed here once, as `sluice agents add` does. */
export function printRunning(
  transcript: Transcript,
  dir: string,
  port: number,
  account: ServiceAccount,
): void {
  const user = encodeURIComponent(account.name);
  const url = `postgres://${user}:${encodeURIComponent(account.secret)}@127.0.0.1:${port}/postgres`;
  transcript.title(
    `Sluice keeps running on 127.0.0.1:${port}. Connect as the service account ${account.name}:`,
  );
  transcript.line();
  transcript.line(`psql "${url}"`);
  transcript.line();
  transcript.note('Try SELECT * FROM customers; or DROP TABLE orders; and read the journal with');
  transcript.note(`sluice audit tail --journal ${join(dir, JOURNAL_FILE)}`);
  transcript.note('An UPDATE of customers waits for approval; approve it from another terminal with');
  transcript.note(`sluice approvals list --config ${join(dir, CONFIG_FILE)}`);
  transcript.note(`sluice approvals approve <id> --config ${join(dir, CONFIG_FILE)}`);
  transcript.line('Ctrl-C stops the gateway and the database.');
}
