import type { Journal } from '@sluice/journal';
import {
  CompactSign,
  compactVerify,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importJWK,
  importPKCS8,
  importSPKI,
  type JWK,
} from 'jose';
import { EvidenceError } from './errors.js';

const FORMAT = 'sluice-anchor/1';
const ALG = 'EdDSA';

/** What an auditor keeps elsewhere: the chain head, signed. */
export interface AnchorFile {
  readonly format: typeof FORMAT;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly signed_at: string;
  /** The signer's public key; a check with the auditor's own copy of it is stronger. */
  readonly public_key: JWK;
  /** Compact JWS (Ed25519) over `{ seq, hash, at }`. */
  readonly signature: string;
}

export interface AnchorCheck {
  readonly ok: boolean;
  readonly seq: number;
  readonly problems: readonly string[];
  /** How the signature was checked: with a key given, or the one in the file. */
  readonly keySource: 'given' | 'embedded';
}

/** A new Ed25519 key pair as PEM (PKCS#8 private, SPKI public). */
export async function generateAnchorKey(): Promise<{
  readonly privatePem: string;
  readonly publicPem: string;
}> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  return { privatePem: await exportPKCS8(privateKey), publicPem: await exportSPKI(publicKey) };
}

/** Signs the journal's current chain head. */
export async function createAnchor(
  journal: Journal,
  privatePem: string,
  now = new Date(),
): Promise<AnchorFile> {
  const privateKey = await importPKCS8(privatePem, ALG, { extractable: true }).catch((error: unknown) => {
    throw new EvidenceError('invalid-key', 'the anchor key is not an Ed25519 private key in PKCS#8 PEM', {
      cause: error,
    });
  });
  const head = journal.records.search({ limit: 1 }).records[0];
  if (!head) throw new EvidenceError('invalid-anchor', 'the journal is empty: there is no head to anchor');
  const claim = { seq: head.seq, hash: head.hash, at: head.at };
  const signature = await new CompactSign(new TextEncoder().encode(JSON.stringify(claim)))
    .setProtectedHeader({ alg: ALG })
    .sign(privateKey);
  const jwk = await exportJWK(privateKey);
  const { d: _secret, ...publicJwk } = jwk;
  return { format: FORMAT, ...claim, signed_at: now.toISOString(), public_key: publicJwk, signature };
}

/**
 * Proves that nothing up to the anchored head was rewritten: the signature holds, and the
 * journal's record at that seq still has the anchored hash. With `audit verify`'s chain check,
 * every record before it is then the one that existed when the anchor was signed.
 */
export async function verifyAnchor(
  journal: Journal,
  anchorText: string,
  publicPem?: string,
): Promise<AnchorCheck> {
  const anchor = parseAnchor(anchorText);
  const key = publicPem
    ? await importSPKI(publicPem, ALG).catch((error: unknown) => {
        throw new EvidenceError('invalid-key', 'the public key is not an Ed25519 key in SPKI PEM', {
          cause: error,
        });
      })
    : await importJWK(anchor.public_key, ALG);
  const problems: string[] = [];
  try {
    const { payload } = await compactVerify(anchor.signature, key);
    const claim = JSON.parse(new TextDecoder().decode(payload)) as { seq?: unknown; hash?: unknown };
    if (claim.seq !== anchor.seq || claim.hash !== anchor.hash)
      problems.push('the anchor file does not match what was signed: it was altered after signing');
  } catch {
    problems.push('the anchor signature does not verify: the file was altered or signed by another key');
  }
  const record = journal.records.search({ before: anchor.seq + 1, limit: 1 }).records[0];
  // Records before the oldest are gone by a purge (or a deletion the chain check reports).
  const oldest = journal.records.extent().oldest?.seq ?? null;
  const purgedThrough = oldest === null ? null : oldest - 1;
  if (record?.seq === anchor.seq) {
    if (record.hash !== anchor.hash) {
      problems.push(`record ${anchor.seq} no longer has the anchored hash: the chain up to it was rewritten`);
    }
  } else if (purgedThrough === null || anchor.seq > purgedThrough) {
    // A purge that reached past the anchor leaves it nothing to check; that is not a rewrite.
    problems.push(`record ${anchor.seq} is missing: records up to the anchored head were deleted`);
  }
  return {
    ok: problems.length === 0,
    seq: anchor.seq,
    problems,
    keySource: publicPem ? 'given' : 'embedded',
  };
}

function parseAnchor(text: string): AnchorFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EvidenceError('invalid-anchor', 'the anchor file is not JSON', { cause: error });
  }
  const anchor = value as Partial<AnchorFile>;
  if (
    anchor.format !== FORMAT ||
    typeof anchor.seq !== 'number' ||
    typeof anchor.hash !== 'string' ||
    typeof anchor.signature !== 'string' ||
    typeof anchor.public_key !== 'object'
  ) {
    throw new EvidenceError('invalid-anchor', `the anchor file is not a ${FORMAT} file`);
  }
  return anchor as AnchorFile;
}
