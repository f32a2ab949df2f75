import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { JOURNAL_SYNC_MODES, WEBHOOK_FORMATS } from '../types.js';
import { connectionSchema, tlsFiles, upstreamUrl } from './connection.js';
import {
  addressRanges,
  byteSize,
  duration,
  existingFile,
  expecting,
  httpUrl,
  listenAddress,
  oneOf,
  secret,
  section,
  text,
  textList,
  wholeNumber,
} from './fields.js';
import { limitsSchema } from './limits.js';
import { approvers, policySchema } from './policy.js';

const FORWARD_SCHEMES = ['syslog+tcp:', 'syslog+tls:', 'http:', 'https:'];

function forwardTarget(baseDir: string) {
  return section({
    url: text('a URL such as syslog+tls://siem.example.com:6514 or https://siem.example.com/ingest').refine(
      (value) => {
        try {
          const url = new URL(value);
          return (
            FORWARD_SCHEMES.includes(url.protocol) && (url.protocol.startsWith('http') || url.port !== '')
          );
        } catch {
          return false;
        }
      },
      { error: 'expected syslog+tcp://HOST:PORT, syslog+tls://HOST:PORT, or an http(s) URL' },
    ),
    secret: secret(`a bearer token such as \${SIEM_TOKEN}`).optional(),
    ca: existingFile(baseDir, 'a PEM file of the CA that signed the receiver’s certificate').optional(),
  });
}

function journalSchema(baseDir: string) {
  return section({
    path: text('a file path such as ./sluice.db')
      .default('./sluice.db')
      .transform((path) => resolve(baseDir, path)),
    retention: duration().prefault('400d'),
    sync: oneOf(JOURNAL_SYNC_MODES).default('none'),
    min_free_space: byteSize().prefault('128MB'),
    record_rows: wholeNumber('a whole number of rows such as 20 (0 keeps none)').default(20),
    forward: z.array(forwardTarget(baseDir), expecting('a list of { url, secret, ca }')).default([]),
    store: upstreamUrl(baseDir)
      .refine((store) => store.protocol === 'postgres', {
        error: 'the shared store is PostgreSQL: expected postgres://user@host:5432/database',
      })
      .optional(),
    store_password: secret(
      `a password such as \${SLUICE_STORE_PASSWORD} or file:/run/secrets/store`,
    ).optional(),
    gateway_id: text('a name for this gateway such as gw-1 (letters, digits, . _ -)')
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
        error: 'expected a name such as gw-1: letters, digits, . _ - (at most 63)',
      })
      .optional(),
  }).transform((settings) => ({
    path: settings.path,
    store: settings.store && {
      ...settings.store,
      password: settings.store_password ?? settings.store.password,
    },
    gatewayId: settings.gateway_id ?? defaultGatewayId(),
    retentionMs: settings.retention,
    sync: settings.sync,
    minFreeBytes: settings.min_free_space,
    recordRows: settings.record_rows,
    forward: settings.forward.map((each) => ({ url: each.url, secret: each.secret, ca: each.ca })),
  }));
}

/** The host's name, trimmed to what a gateway id may hold. */
function defaultGatewayId(): string {
  const name = hostname()
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return name.slice(0, 63) || 'gateway';
}

const webhook = section({
  url: httpUrl('an http(s) URL such as https://hooks.example.com/sluice'),
  format: oneOf(WEBHOOK_FORMATS).default('json'),
  secret: secret(`a signing secret such as \${WEBHOOK_SECRET}`).optional(),
});

const consoleOidc = section({
  issuer: httpUrl('the issuer URL such as https://login.example.com/'),
  client_id: text('the client id registered for the console, such as sluice-console'),
  scopes: textList('[openid, profile, email]').default(['openid', 'profile', 'email']),
  authorization_endpoint: httpUrl(
    'an authorization endpoint such as https://login.example.com/authorize',
  ).optional(),
  token_endpoint: httpUrl('a token endpoint such as https://login.example.com/token').optional(),
}).transform((settings) => ({
  issuer: settings.issuer,
  clientId: settings.client_id,
  scopes: settings.scopes,
  authorizationEndpoint: settings.authorization_endpoint,
  tokenEndpoint: settings.token_endpoint,
}));

function adminSchema(baseDir: string) {
  return section({
    listen: listenAddress(),
    forwarded_from: addressRanges().optional(),
    token: secret(`a token such as \${SLUICE_ADMIN_TOKEN}`).optional(),
    tls: tlsFiles(baseDir).optional(),
    admins: approvers.prefault({}),
    approvers: approvers.prefault({}),
    auditors: approvers.prefault({}),
    webhooks: z.array(webhook, expecting('a list of { url, format, secret }')).default([]),
    oidc: consoleOidc.optional(),
  }).transform((settings) => ({
    listen: settings.listen,
    forwardedFrom: settings.forwarded_from ?? [],
    token: settings.token,
    tls: settings.tls,
    admins: settings.admins,
    approvers: settings.approvers,
    auditors: settings.auditors,
    webhooks: settings.webhooks.map((each) => ({ url: each.url, format: each.format, secret: each.secret })),
    oidc: settings.oidc,
  }));
}

function oidcIssuerSchema(baseDir: string) {
  return section({
    issuer: httpUrl('the issuer URL such as https://login.example.com/'),
    audience: text('the audience tokens are issued for, such as sluice'),
    jwks_uri: httpUrl('the JWKS URL such as https://login.example.com/.well-known/jwks.json').optional(),
    jwks_file: existingFile(baseDir, 'a JWKS file such as ./jwks.json').optional(),
    groups_claim: text('a claim name such as groups').default('groups'),
    identity_claim: oneOf(['sub', 'email']).default('sub'),
  }).transform((settings) => ({
    issuer: settings.issuer,
    audience: settings.audience,
    jwksUri: settings.jwks_uri,
    jwksFile: settings.jwks_file,
    groupsClaim: settings.groups_claim,
    identityClaim: settings.identity_claim,
  }));
}

function identitySchema(baseDir: string) {
  return section({
    oidc: z
      .array(oidcIssuerSchema(baseDir), expecting('a list of issuers, each { issuer, audience, jwks_uri }'))
      .default([]),
  });
}

/** The whole file, before names are attached and cross-field checks run. */
export function rootSchema(baseDir: string) {
  return section({
    journal: journalSchema(baseDir).prefault({}),
    admin: adminSchema(baseDir).optional(),
    identity: identitySchema(baseDir).prefault({}),
    connections: z
      .record(
        z.string(),
        connectionSchema(baseDir),
        expecting('a mapping of connection names to their settings'),
      )
      .refine((connections) => Object.keys(connections).length > 0, {
        error: 'expected at least one connection, such as orders: { protocol, listen, upstream }',
      }),
    policies: z
      .record(z.string(), policySchema, expecting('a mapping of policy names to their rules'))
      .default({}),
    limits: limitsSchema.prefault({}),
  });
}

export type RootSettings = z.output<ReturnType<typeof rootSchema>>;
