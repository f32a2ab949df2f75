// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax these tests feed in
import { afterAll, describe, expect, it } from 'vitest';
import { configOf, located, ORDERS_CONNECTION, problemsOf, removeScratchDirs } from './support/configs.js';

afterAll(removeScratchDirs);

const withJournal = (...lines: string[]) => ['journal:', ...lines, ...ORDERS_CONNECTION];

describe('journal.store and journal.gateway_id', () => {
  it('reads a PostgreSQL store with its password from the environment, and a gateway id', () => {
    const journal = configOf(
      withJournal(
        '  store: postgres://sluice@store.internal:5433/sluice?sslmode=require',
        '  store_password: ${STORE_PASSWORD}',
        '  gateway_id: gw-1',
      ),
      { env: { STORE_PASSWORD: 'store-secret-1' } },
    ).journal;
    expect(journal.gatewayId).toBe('gw-1');
    expect(journal.store).toMatchObject({
      protocol: 'postgres',
      host: 'store.internal',
      port: 5433,
      user: 'sluice',
      database: 'sluice',
      sslMode: 'require',
    });
    expect(journal.store?.password?.reveal()).toBe('store-secret-1');
  });

  it('has no store by default and names the gateway after the host', () => {
    const journal = configOf([...ORDERS_CONNECTION]).journal;
    expect(journal.store).toBeUndefined();
    expect(journal.gatewayId).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/);
  });

  it('refuses a store that is not PostgreSQL and a gateway id with other characters', () => {
    const problems = problemsOf(
      withJournal('  store: mysql://sluice@store.internal/sluice', '  gateway_id: gw 1/a'),
    ).map(located);
    expect(problems).toEqual([
      expect.stringMatching(/^2:\d+ journal.store: the shared store is PostgreSQL/),
      expect.stringMatching(/^3:\d+ journal.gateway_id: expected a name such as gw-1/),
    ]);
  });
});
