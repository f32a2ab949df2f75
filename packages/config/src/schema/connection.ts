import { z } from 'zod';
import { parseUpstreamUrl, UPSTREAM_EXAMPLE } from '../upstream-url.js';
import {
  addressRanges,
  existingFile,
  expecting,
  listenAddress,
  oneOf,
  secret,
  section,
  text,
} from './fields.js';

export function upstreamUrl(baseDir: string) {
  return z.string(expecting(UPSTREAM_EXAMPLE)).transform((value, context) => {
    const parsed = parseUpstreamUrl(value, baseDir);
    if (parsed.ok) return parsed.upstream;
    for (const message of parsed.problems) context.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

export function tlsFiles(baseDir: string) {
  return section({
    cert: existingFile(baseDir, 'the PEM certificate the gateway presents, such as ./tls/cert.pem'),
    key: existingFile(baseDir, 'the PEM private key of that certificate, such as ./tls/key.pem'),
  });
}

/** One `connections.NAME` entry; the name is added by the caller, which knows the key. */
export function connectionSchema(baseDir: string) {
  return section({
    protocol: oneOf(['postgres', 'mysql']),
    listen: listenAddress(),
    proxy_protocol_from: addressRanges().optional(),
    upstream: upstreamUrl(baseDir),
    upstream_password: secret(
      `a password such as \${ORDERS_DB_PASSWORD} or file:/run/secrets/orders`,
    ).optional(),
    tls: tlsFiles(baseDir).optional(),
    policy: text('the name of a policy defined under policies').optional(),
  }).transform((settings) => ({
    protocol: settings.protocol,
    listen: settings.listen,
    proxyProtocolFrom: settings.proxy_protocol_from ?? [],
    upstream: { ...settings.upstream, password: settings.upstream_password ?? settings.upstream.password },
    tls: settings.tls,
    policy: settings.policy,
  }));
}
