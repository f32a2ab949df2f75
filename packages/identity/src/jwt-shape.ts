const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Whether a password looks like a compact JWS (header.payload.signature, base64url, a JSON header
 * with `alg`), so the gateway can route it to OIDC instead of service-account verification.
 * An empty signature is accepted so that unsigned tokens reach OIDC and are refused there.
 */
export function looksLikeJwt(text: string): boolean {
  const segments = text.split('.');
  if (segments.length !== 3) return false;
  const [header = '', payload = '', signature = ''] = segments;
  if (!BASE64URL_SEGMENT.test(header) || !BASE64URL_SEGMENT.test(payload)) return false;
  if (signature !== '' && !BASE64URL_SEGMENT.test(signature)) return false;
  return headerHasAlg(header);
}

function headerHasAlg(encodedHeader: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && 'alg' in header && typeof header.alg === 'string';
  } catch {
    return false;
  }
}
