/** Letters, digits and marks of any script, and lone surrogates (astral characters arrive as pairs). */
const NON_ASCII_WORD = /^[\p{L}\p{N}\p{M}\uD800-\uDFFF]$/u;

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isWordUnit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 0x80) return isAsciiAlphanumeric(code);
  return NON_ASCII_WORD.test(text.charAt(index));
}

/**
 * Characters accepted in the local part of an address found inside text. Narrower than RFC 5322
 * atext on purpose: `=`, `/`, `'` and `!` usually belong to the surrounding text (`email=a@b.c`),
 * and `*` is kept so a mask such as `a***@b.c` is recognised as already masked.
 */
export function isLocalPartUnit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  // . _ % + * -
  if (code === 46 || code === 95 || code === 37 || code === 43 || code === 42 || code === 45) return true;
  return isWordUnit(text, index);
}

export function isDomainUnit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code === 46 || code === 45) return true;
  return isWordUnit(text, index);
}

function isLetters(label: string): boolean {
  for (let index = 0; index < label.length; index += 1) {
    const code = label.charCodeAt(index);
    if (code < 0x80) {
      if (!((code >= 65 && code <= 90) || (code >= 97 && code <= 122))) return false;
    } else if (!NON_ASCII_WORD.test(label.charAt(index))) {
      return false;
    }
  }
  return true;
}

/**
 * Whether `domain` is a host name: dot-separated labels of letters, digits and inner hyphens.
 * With `requireDot`, also a final label that is a top-level domain (letters, or punycode), which
 * keeps `pkg@1.2.3` and `user@localhost` in ordinary text from counting as addresses.
 */
export function isDomainName(domain: string, requireDot: boolean): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  // One pass: each label ends at a dot or at the end of the name.
  let labelStart = 0;
  let dots = 0;
  for (let index = 0; index <= domain.length; index += 1) {
    if (index < domain.length && domain.charCodeAt(index) !== 46) {
      if (!isDomainUnit(domain, index)) return false;
      continue;
    }
    const length = index - labelStart;
    if (length === 0 || length > 63) return false;
    if (domain.charCodeAt(labelStart) === 45 || domain.charCodeAt(index - 1) === 45) return false;
    if (index < domain.length) {
      dots += 1;
      labelStart = index + 1;
    }
  }
  if (!requireDot) return true;
  if (dots === 0) return false;
  const topLevel = domain.slice(labelStart);
  return topLevel.toLowerCase().startsWith('xn--') || (topLevel.length >= 2 && isLetters(topLevel));
}

/** The masked form: first character of the local part, `***`, then the domain unchanged. */
export function maskedAddress(localPart: string, domain: string): string {
  const first = String.fromCodePoint(localPart.codePointAt(0) ?? 42);
  return `${first}***@${domain}`;
}

/** Whether a local part already has the masked form (one character then `***`). */
export function isMaskedLocalPart(localPart: string): boolean {
  const first = localPart.codePointAt(0);
  if (first === undefined) return false;
  return localPart.slice(String.fromCodePoint(first).length) === '***';
}

/**
 * Splits a whole value that is one e-mail address, or returns null. Lenient about the local part
 * (any visible characters) because a column's value is known to be an address; strict about
 * whitespace, so a longer text that merely contains an address is not taken for one.
 */
export function splitEmailAddress(
  value: string,
): { readonly localPart: string; readonly domain: string } | null {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return null;
  const localPart = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (/[\s@]/u.test(localPart)) return null;
  if (!isDomainName(domain, false)) return null;
  return { localPart, domain };
}
