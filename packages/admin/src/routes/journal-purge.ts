import { parseDuration } from '@sluice/config';
import type { FastifyInstance } from 'fastify';
import { type AccountsContext, actorOf } from '../context.js';
import { AdminError } from '../errors.js';
import { ERROR_REPLIES } from '../schemas.js';

/**
 * `POST /api/journal/purge` (AU-11): a change to the journal, so `sluice audit purge` reaches the
 * gateway that writes it through this route, or runs it in-process on the file when none runs.
 */
export function journalPurgeRoute(app: FastifyInstance, { journal }: AccountsContext): void {
  app.post<{ Body: { older_than: string } }>(
    '/api/journal/purge',
    {
      config: { access: 'admin' },
      schema: {
        summary:
          'Delete the records older than a duration (AU-11), leaving a purge checkpoint that verify follows',
        tags: ['journal'],
        body: {
          type: 'object',
          properties: { older_than: { type: 'string', description: 'e.g. 400d' } },
          required: ['older_than'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              purged: { type: 'integer' },
              through: { type: ['integer', 'null'] },
              through_hash: { type: ['string', 'null'] },
              checkpoint: { type: ['integer', 'null'] },
            },
          },
          ...ERROR_REPLIES,
        },
      },
    },
    async (request) => {
      const olderThanMs = parseDuration(request.body.older_than);
      if (olderThanMs === undefined) {
        throw new AdminError(
          400,
          `"older_than": "${request.body.older_than}" is not a duration such as 400d`,
        );
      }
      const result = journal.purge(new Date(Date.now() - olderThanMs), actorOf(request).name);
      return {
        purged: result.purged,
        through: result.through,
        through_hash: result.throughHash,
        checkpoint: result.checkpoint,
      };
    },
  );
}
