/**
 * Wildcard and ARN matching for policies: `*` (any run of characters) and `?` (one character); every other
 * character, regex metacharacters included, is literal.
 * Sources: IAM User Guide, reference_policies_elements_action.html (actions case-insensitive),
 * reference_policies_elements_resource.html (wildcards within ARN segments) and
 * reference_policies_elements_condition_operators.html#Conditions_ARN ("each of the six colon-delimited
 * components of the ARN is checked separately").
 */

/** A compiled wildcard pattern: plain equality when it has no wildcard, else an anchored regular expression. */
export type StringMatcher = (value: string) => boolean;

const REGEX_SPECIALS = /[\\^$.|+()[\]{}*?]/g;

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Escapes every regex metacharacter so that `text` matches itself literally inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(REGEX_SPECIALS, '\\$&');
}

/**
 * The regex source for a wildcard pattern (without anchors). After escaping, every `*` and `?` of the pattern
 * is exactly the token `\*` / `\?` (no other token ends in those characters), so replacing the tokens is safe.
 * `any` is what a wildcard may span (`.` everywhere; `[^:]` inside the first five ARN segments).
 */
export function wildcardSource(pattern: string, any = '.'): string {
  return escapeRegExp(pattern).replace(/\\\*/g, `${any}*`).replace(/\\\?/g, any);
}

/** `ignoreCase` lower-cases both sides (actions, *IgnoreCase operators). */
export function compileWildcard(pattern: string, ignoreCase = false): StringMatcher {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  if (p === '*') return () => true;
  if (!hasWildcard(p)) return ignoreCase ? (v) => v.toLowerCase() === p : (v) => v === p;
  // `prefix*` (kms:*, kms:Generate*) is by far the most common form: no regex needed.
  const star = p.indexOf('*');
  if (star === p.length - 1 && !p.includes('?')) {
    const prefix = p.slice(0, -1);
    return ignoreCase ? (v) => v.toLowerCase().startsWith(prefix) : (v) => v.startsWith(prefix);
  }
  // `s`: `.` also matches line breaks, so `*` really means "any characters".
  const re = new RegExp(`^${wildcardSource(p)}$`, 's');
  return ignoreCase ? (v) => re.test(v.toLowerCase()) : (v) => re.test(v);
}

/** Splits an ARN into its six components (the last keeps any further colons); undefined when not an ARN. */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts[0] === 'arn' ? parts : undefined;
}

/**
 * Segment-wise ARN pattern (Resource/NotResource elements, Arn* operators). A lone `*` matches anything
 * (including the `*` resource of actions without a resource); a pattern that is not a six-part ARN matches
 * only itself.
 */
export function compileArnPattern(pattern: string): StringMatcher {
  if (pattern === '*') return () => true;
  const parts = splitArn(pattern);
  if (!parts) return (v) => v === pattern;
  if (!hasWildcard(pattern)) return (v) => v === pattern;
  // One regex: wildcards in the first five segments cannot span a colon; in the resource part they can.
  const head = parts.slice(0, 5).map((part) => wildcardSource(part, '[^:]'));
  const re = new RegExp(`^${head.join(':')}:${wildcardSource(parts[5])}$`, 's');
  return (value) => re.test(value);
}

/** Matches a set of action patterns (`kms:Encrypt`, `kms:Generate*`, `*`) against a lower-cased action. */
export function compileActionSet(patterns: readonly string[]): (lowerAction: string) => boolean {
  const exact = new Set<string>();
  const wild: StringMatcher[] = [];
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower === '*') return () => true;
    if (hasWildcard(lower)) wild.push(compileWildcard(lower));
    else exact.add(lower);
  }
  if (wild.length === 0) return (action) => exact.has(action);
  return (action) => exact.has(action) || wild.some((m) => m(action));
}
