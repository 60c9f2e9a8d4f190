/**
 * ARN-style wildcard matching (`*` any run of characters, `?` exactly one) in linear-ish time.
 * A regular expression built from a caller's pattern can backtrack exponentially (`*a*a*a*…b`),
 * and the sandbox serves everyone from one thread, so patterns from requests go through this.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      starAt = p++;
      resumeAt = t;
    } else if (p < pattern.length && (c === '?' || c === text[t])) {
      p++;
      t++;
    } else if (starAt >= 0) {
      // Let the last `*` swallow one more character and retry from there.
      p = starAt + 1;
      t = ++resumeAt;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
