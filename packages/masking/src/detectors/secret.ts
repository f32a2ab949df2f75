import type { Detector, Finding } from './detector.js';

export const SECRET_MASK = '[secret]';

/** Every kind of secret below starts with one of these: text without any is left after one regex scan. */
const PREFILTER =
  /-----BEGIN|A[KS]IA|eyJ|[rs]k_(?:live|test)_|gh[opusr]_|github_pat_|xox[abprs]-|AIza|sluice_/;

const PEM_HEADER = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g;
/** What a PEM body may hold when its END line is missing (a truncated value): base64, headers, escaped newlines. */
const PEM_BODY = /[A-Za-z0-9+/=\s\\:,-]*/y;

/**
 * Tokens recognisable by their shape: AWS access key ids, JWTs, and API keys with a vendor
 * prefix (Stripe, GitHub, Slack, Google, and Sluice's own service-account secrets).
 */
const TOKEN = new RegExp(
  [
    '(?<![A-Za-z0-9_-])(?:',
    [
      '(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])',
      'eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*',
      '[rs]k_(?:live|test)_[A-Za-z0-9]{10,}',
      'gh[opusr]_[A-Za-z0-9]{36,}',
      'github_pat_[A-Za-z0-9_]{22,}',
      'xox[abprs]-[A-Za-z0-9-]{10,}',
      'AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])',
      'sluice_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])',
    ].join('|'),
    ')',
  ].join(''),
  'g',
);

function pemBlocks(text: string): Finding[] {
  const findings: Finding[] = [];
  PEM_HEADER.lastIndex = 0;
  for (let header = PEM_HEADER.exec(text); header !== null; header = PEM_HEADER.exec(text)) {
    const footer = `-----END ${header[1] ?? ''}-----`;
    const footerAt = text.indexOf(footer, PEM_HEADER.lastIndex);
    let end: number;
    if (footerAt === -1) {
      PEM_BODY.lastIndex = PEM_HEADER.lastIndex;
      PEM_BODY.exec(text);
      end = PEM_BODY.lastIndex;
    } else {
      end = footerAt + footer.length;
    }
    findings.push({ detector: 'secret', start: header.index, end, mask: SECRET_MASK });
    PEM_HEADER.lastIndex = end;
  }
  return findings;
}

/** Private keys, cloud and API credentials, and bearer tokens, each replaced by `[secret]`. */
export const secretDetector: Detector = {
  name: 'secret',
  mayContain: (profile) => profile.secretHint,
  find(text) {
    if (!PREFILTER.test(text)) return [];
    const findings = text.includes('-----BEGIN') ? pemBlocks(text) : [];
    for (const match of text.matchAll(TOKEN)) {
      findings.push({
        detector: 'secret',
        start: match.index,
        end: match.index + match[0].length,
        mask: SECRET_MASK,
      });
    }
    return findings;
  },
};
