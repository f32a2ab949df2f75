/** `policies.agents` for the cluster: every UPDATE waits, holding its session, for an approval. */
export const HOLD_UPDATES = `    rules:
      - name: updates-need-approval
        match: { kind: [update] }
        action: approve
    approval:
      mode: hold
      timeout: 5m`;

/** The `orders` table of both protected databases, rows 1 to 4 `new`. */
export const ORDERS_TABLE = `CREATE TABLE orders (id int PRIMARY KEY, status text);
INSERT INTO orders VALUES (1, 'new'), (2, 'new'), (3, 'new'), (4, 'new')`;
