import { DECISIONS } from '@sluice/journal';
import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../context.js';
import { type JournalSearch, searchStatements } from '../journal-search.js';
import { ERROR_REPLIES } from '../schemas.js';

const searchQuery = {
  type: 'object',
  properties: {
    identity: { type: 'string' },
    group: { type: 'string' },
    connection: { type: 'string' },
    decision: { type: 'string' },
    kind: { type: 'string' },
    table: { type: 'string' },
    text: { type: 'string', maxLength: 500 },
    since: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time' },
    before: { type: 'integer', minimum: 1, description: 'Only records older than this id (the next page).' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
  additionalProperties: false,
} as const;

/** `GET /api/journal/statements` (search, newest first) and `GET /api/journal/verify`. */
export function journalRoutes(app: FastifyInstance, { journal }: AdminContext): void {
  app.get<{ Querystring: JournalSearch }>(
    '/api/journal/statements',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Journalled statements matching every filter given, newest first, a page at a time',
        description: `Decisions: ${DECISIONS.join(', ')}. Follow \`next_before\` for the next page.`,
        tags: ['journal'],
        querystring: searchQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              records: { type: 'array', items: { type: 'object', additionalProperties: true } },
              next_before: { type: ['integer', 'null'] },
              scanned: { type: 'integer' },
            },
          },
          ...ERROR_REPLIES,
        },
      },
    },
    async (request) => searchStatements(journal, request.query),
  );

  app.get(
    '/api/journal/verify',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Check the journal’s hash chain, as `sluice audit verify` does',
        tags: ['journal'],
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              checked: { type: 'integer' },
              head_hash: { type: ['string', 'null'] },
              problems: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    seq: { type: 'integer' },
                    message: { type: 'string' },
                    gateway: { type: 'string' },
                  },
                },
              },
              chains: {
                description: 'On a shared store: each gateway’s chain',
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    gateway: { type: 'string' },
                    checked: { type: 'integer' },
                    head_seq: { type: ['integer', 'null'] },
                    head_hash: { type: ['string', 'null'] },
                    purged_through: { type: ['integer', 'null'] },
                  },
                },
              },
            },
          },
          ...ERROR_REPLIES,
        },
      },
    },
    async () => {
      const result = journal.verify();
      return {
        ok: result.ok,
        checked: result.checked,
        head_hash: result.headHash,
        problems: result.problems,
        ...(result.chains
          ? {
              chains: result.chains.map((chain) => ({
                gateway: chain.gateway,
                checked: chain.checked,
                head_seq: chain.headSeq,
                head_hash: chain.headHash,
                purged_through: chain.purgedThrough,
              })),
            }
          : {}),
      };
    },
  );
}
