import type { SwaggerOptions } from '@fastify/swagger';

/** The OpenAPI document's header; @fastify/swagger adds the paths from the route schemas. */
export const OPENAPI_INFO: NonNullable<Extract<SwaggerOptions, { openapi?: unknown }>['openapi']> = {
  openapi: '3.1.0',
  info: {
    title: 'Sluice admin API',
    version: '0.1.0',
    description:
      'Approvals, grants, live sessions and service accounts of a running Sluice gateway. ' +
      'Authenticate with `Authorization: Bearer <admin token or OIDC JWT>`; service accounts may use ' +
      '`Basic name:secret` to request grants for themselves.',
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      basic: { type: 'http', scheme: 'basic' },
    },
  },
  security: [{ bearer: [] }, { basic: [] }],
};
