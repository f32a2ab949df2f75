/**
 * Whether `value` matches a glob where `*` stands for any run of characters (dots included) and
 * `?` for exactly one; case-insensitive. Matching is iterative with a single backtrack point, so a
 * pattern such as `*a*a*a*b` costs O(pattern × value) at worst instead of exponential time.
 */
export function globMatches(pattern: string, value: string): boolean {
  const glob = pattern.toLowerCase();
  const text = value.toLowerCase();
  let globAt = 0;
  let textAt = 0;
  let starAt = -1;
  let textAtStar = 0;
  while (textAt < text.length) {
    const wanted = glob[globAt];
    if (wanted === '*') {
      starAt = globAt;
      textAtStar = textAt;
      globAt += 1;
    } else if (wanted !== undefined && (wanted === '?' || wanted === text[textAt])) {
      globAt += 1;
      textAt += 1;
    } else if (starAt >= 0) {
      globAt = starAt + 1;
      textAtStar += 1;
      textAt = textAtStar;
    } else {
      return false;
    }
  }
  while (glob[globAt] === '*') globAt += 1;
  return globAt === glob.length;
}

/** The first pattern of `patterns` that matches `value`, if any. */
export function firstMatchingGlob(patterns: readonly string[], value: string): string | undefined {
  return patterns.find((pattern) => globMatches(pattern, value));
}
