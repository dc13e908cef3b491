/**
 * Policy variables (IAM User Guide, reference_policies_variables.html): `${aws:username}`,
 * `${aws:PrincipalTag/team}`, a default `${aws:username, 'anonymous'}`, and `${*}`, `${?}`, `${$}` for the
 * literal characters. Substituted only under Version 2012-10-17, only in Resource/NotResource and in the
 * values of String and Arn condition operators. A variable whose key is absent (or multi-valued) and has no
 * default makes the whole value "null": it matches nothing.
 */
import { escapeRegExp, wildcardSource } from './match.js';

export type TemplatePart =
  | { kind: 'text'; text: string } // may contain wildcards (they stay wildcards)
  | { kind: 'literal'; text: string } // `${*}` and friends: literal characters, never wildcards
  | { kind: 'variable'; key: string; fallback?: string }; // key lower-cased

export interface Template {
  /** The value as written, for values without variables. */
  readonly raw: string;
  /** Undefined when the value has no `${...}` to substitute. */
  readonly parts?: readonly TemplatePart[];
}

const VARIABLE = /\$\{([^}]*)\}/g;
const WITH_DEFAULT = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;

/** Parses `${...}` occurrences; `substitute` false (Version 2008-10-17 or absent) keeps the text literal. */
export function parseTemplate(raw: string, substitute: boolean): Template {
  if (!substitute || !raw.includes('${')) return { raw };
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of raw.matchAll(VARIABLE)) {
    if (m.index > last) parts.push({ kind: 'text', text: raw.slice(last, m.index) });
    last = m.index + m[0].length;
    const inner = m[1];
    if (inner === '*' || inner === '?' || inner === '$') {
      parts.push({ kind: 'literal', text: inner });
      continue;
    }
    const withDefault = WITH_DEFAULT.exec(inner);
    if (withDefault) parts.push({ kind: 'variable', key: withDefault[1].toLowerCase(), fallback: withDefault[2] });
    else parts.push({ kind: 'variable', key: inner.trim().toLowerCase() });
  }
  if (last < raw.length) parts.push({ kind: 'text', text: raw.slice(last) });
  return parts.some((p) => p.kind !== 'text') ? { raw, parts } : { raw };
}

/**
 * Looks a condition key up by lower-cased name (the request context of one evaluation). `written`: the name as
 * the policy spells it, tried first as an exact property name (the common case, no scan).
 */
export type KeyLookup = (lowerKey: string, written?: string) => string | readonly string[] | undefined;

function resolveVariable(part: { key: string; fallback?: string }, lookup: KeyLookup): string | undefined {
  const value = lookup(part.key);
  // Only single-valued keys can be variables (reference_policies_single-vs-multi-valued-condition-keys.html).
  if (typeof value === 'string') return value;
  return part.fallback;
}

/** The value with variables substituted, as plain text (for equality operators); undefined = null value. */
export function renderText(template: Template, lookup: KeyLookup): string | undefined {
  if (!template.parts) return template.raw;
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'variable') {
      const value = resolveVariable(part, lookup);
      if (value === undefined) return undefined;
      out += value;
    } else out += part.text;
  }
  return out;
}

/**
 * The value as an anchored regex source for wildcard operators: wildcards in the written text stay wildcards,
 * substituted values and `${*}` are literal. Undefined = null value.
 */
export function renderPatternSource(template: Template, lookup: KeyLookup): string | undefined {
  if (!template.parts) return wildcardSource(template.raw);
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') out += wildcardSource(part.text);
    else if (part.kind === 'literal') out += escapeRegExp(part.text);
    else {
      const value = resolveVariable(part, lookup);
      if (value === undefined) return undefined;
      out += escapeRegExp(value);
    }
  }
  return out;
}

/**
 * An ARN pattern with variables as an anchored regex source, segment-aware like match.ts compileArnPattern: a
 * wildcard written in the policy spans no colon in the first five segments; substituted values and `${*}`-style
 * literals are literal text. Undefined = null value.
 */
export function renderArnPatternSource(template: Template, lookup: KeyLookup): string | undefined {
  let colons = 0;
  let out = '';
  const literal = (text: string) => {
    for (const ch of text) {
      if (ch === ':') colons++;
      out += escapeRegExp(ch);
    }
  };
  for (const part of template.parts ?? [{ kind: 'text' as const, text: template.raw }]) {
    if (part.kind === 'variable') {
      const value = resolveVariable(part, lookup);
      if (value === undefined) return undefined;
      literal(value);
    } else if (part.kind === 'literal') literal(part.text);
    else {
      for (const ch of part.text) {
        if (ch === '*' || ch === '?') out += (colons < 5 ? '[^:]' : '.') + (ch === '*' ? '*' : '');
        else literal(ch);
      }
    }
  }
  return out;
}
