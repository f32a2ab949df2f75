import pg from 'pg';
import type { EmbeddedPostgres } from './embedded-postgres.js';

/**
 * A small shop whose customers table holds the personal data the demo policy masks. The values
 * are made up: card numbers are the card networks' published test numbers, SSNs are ones the
 * Social Security Administration never issues to people (the 987-65-43xx advertising range).
 */
const SCHEMA = `
CREATE TABLE customers (
  id          integer PRIMARY KEY,
  name        text NOT NULL,
  email       text NOT NULL,
  phone       text,
  card_number text,
  ssn         text,
  notes       text
);
CREATE TABLE products (
  id          integer PRIMARY KEY,
  name        text NOT NULL,
  price_cents integer NOT NULL
);
CREATE TABLE orders (
  id          integer PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers (id),
  product_id  integer NOT NULL REFERENCES products (id),
  quantity    integer NOT NULL,
  status      text NOT NULL DEFAULT 'new'
);`;

const CUSTOMERS = `
INSERT INTO customers (id, name, email, phone, card_number, ssn, notes) VALUES
  (1, 'Alice Martin',  'alice@example.com',   '+1 415 555 0101', '4111 1111 1111 1111', '987-65-4320',
      'prefers email'),
  (2, 'Bruno Keller',  'bruno@example.org',   '+1 415 555 0102', '5555 5555 5555 4444', '987-65-4321',
      'invoices also to accounts@keller.example.net'),
  (3, 'Chen Wei',      'chen.wei@example.com','+1 415 555 0103', '3782 822463 10005',   '987-65-4322',
      'called from +1 415 555 0199 about a refund'),
  (4, 'Dana Okafor',   'dana@example.net',    '+1 415 555 0104', '6011 1111 1111 1117', '987-65-4323',
      NULL);`;

const PRODUCTS = `
INSERT INTO products (id, name, price_cents) VALUES
  (1, 'Espresso beans 1 kg', 2490),
  (2, 'Milk frother',        3900),
  (3, 'Ceramic cup',          850),
  (4, 'Descaler',             690);`;

const ORDERS = `
INSERT INTO orders (id, customer_id, product_id, quantity, status) VALUES
  (1, 1, 1, 2, 'shipped'),
  (2, 2, 3, 6, 'new'),
  (3, 3, 2, 1, 'new'),
  (4, 1, 4, 1, 'shipped'),
  (5, 4, 1, 1, 'new');`;

export interface SeedSummary {
  readonly customers: number;
  readonly products: number;
  readonly orders: number;
}

/** Creates and fills the shop tables directly in the database, not through Sluice. */
export async function seedShop(database: EmbeddedPostgres): Promise<SeedSummary> {
  const client = new pg.Client({
    host: database.host,
    port: database.port,
    user: database.user,
    database: database.database,
  });
  await client.connect();
  try {
    // One multi-statement simple query: PGlite runs it as one implicit transaction.
    await client.query([SCHEMA, CUSTOMERS, PRODUCTS, ORDERS].join('\n'));
    const counts = await client.query<{ customers: number; products: number; orders: number }>(
      `SELECT (SELECT count(*) FROM customers)::int AS customers,
              (SELECT count(*) FROM products)::int AS products,
              (SELECT count(*) FROM orders)::int AS orders`,
    );
    const row = counts.rows[0];
    return { customers: row?.customers ?? 0, products: row?.products ?? 0, orders: row?.orders ?? 0 };
  } finally {
    await client.end();
  }
}
