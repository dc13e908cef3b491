/**
 * Condition operators (IAM User Guide, reference_policies_elements_condition_operators.html and
 * reference_policies_multi-value-conditions.html), compiled once per policy.
 *
 * Semantics, in one place:
 * - several values for one key: positive operators OR them, negated operators ("Not") are the negation of the
 *   positive one, i.e. true when no value matches;
 * - several keys / several operators in one Condition block: AND (the statement loops over them);
 * - absent key: positive operators false, negated operators true, `...IfExists` true, `Null` tests presence;
 * - `ForAnyValue:` false on an absent or empty set (true with IfExists), `ForAllValues:` true on it;
 * - a request value or policy value that cannot be parsed for the operator (a number, a date, a boolean, an
 *   IP address) makes the condition false whatever the operator: fail closed for Allow;
 * - policy variables only in String and Arn operators (reference_policies_variables.html).
 * Over 300 lines because the operator table, the typed parsers and the set-operator semantics belong together:
 * split, the rules above would be spread over files that cannot be read alone.
 */
import { BlockList, isIP } from 'node:net';
import { compileArnPattern, compileWildcard, splitArn } from './match.js';
import { type KeyLookup, type Template, parseTemplate, renderArnPatternSource, renderPatternSource, renderText } from './variables.js';

type Family = 'String' | 'StringIgnoreCase' | 'StringLike' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn';
type Comparison = 'eq' | 'lt' | 'le' | 'gt' | 'ge';

interface OperatorSpec {
  family: Family;
  negated: boolean;
  comparison: Comparison;
}

const OPERATORS: Record<string, OperatorSpec> = {
  StringEquals: { family: 'String', negated: false, comparison: 'eq' },
  StringNotEquals: { family: 'String', negated: true, comparison: 'eq' },
  StringEqualsIgnoreCase: { family: 'StringIgnoreCase', negated: false, comparison: 'eq' },
  StringNotEqualsIgnoreCase: { family: 'StringIgnoreCase', negated: true, comparison: 'eq' },
  StringLike: { family: 'StringLike', negated: false, comparison: 'eq' },
  StringNotLike: { family: 'StringLike', negated: true, comparison: 'eq' },
  NumericEquals: { family: 'Numeric', negated: false, comparison: 'eq' },
  NumericNotEquals: { family: 'Numeric', negated: true, comparison: 'eq' },
  NumericLessThan: { family: 'Numeric', negated: false, comparison: 'lt' },
  NumericLessThanEquals: { family: 'Numeric', negated: false, comparison: 'le' },
  NumericGreaterThan: { family: 'Numeric', negated: false, comparison: 'gt' },
  NumericGreaterThanEquals: { family: 'Numeric', negated: false, comparison: 'ge' },
  DateEquals: { family: 'Date', negated: false, comparison: 'eq' },
  DateNotEquals: { family: 'Date', negated: true, comparison: 'eq' },
  DateLessThan: { family: 'Date', negated: false, comparison: 'lt' },
  DateLessThanEquals: { family: 'Date', negated: false, comparison: 'le' },
  DateGreaterThan: { family: 'Date', negated: false, comparison: 'gt' },
  DateGreaterThanEquals: { family: 'Date', negated: false, comparison: 'ge' },
  Bool: { family: 'Bool', negated: false, comparison: 'eq' },
  BinaryEquals: { family: 'Binary', negated: false, comparison: 'eq' },
  IpAddress: { family: 'Ip', negated: false, comparison: 'eq' },
  NotIpAddress: { family: 'Ip', negated: true, comparison: 'eq' },
  ArnEquals: { family: 'Arn', negated: false, comparison: 'eq' },
  ArnLike: { family: 'Arn', negated: false, comparison: 'eq' },
  ArnNotEquals: { family: 'Arn', negated: true, comparison: 'eq' },
  ArnNotLike: { family: 'Arn', negated: true, comparison: 'eq' },
};

/** One request value tested against the policy values: true/false, or undefined when it cannot be parsed. */
type ValueTest = (requestValue: string, lookup: KeyLookup) => boolean | undefined;

export interface CompiledCondition {
  /** `ForAnyValue:StringLike` etc., as written (for explanations). */
  readonly operator: string;
  /** Lower-cased condition key. */
  readonly key: string;
  readonly test: (lookup: KeyLookup) => boolean;
}

/** Thrown for an operator kmslite does not know (the caller turns it into MalformedPolicyDocumentException). */
export class UnknownOperatorError extends Error {}

/** The policy value must be a string, number or boolean (or an array of them): anything else is malformed. */
export class BadConditionValueError extends Error {}

export function parseOperator(written: string): { spec: OperatorSpec | 'Null'; set: 'none' | 'any' | 'all'; ifExists: boolean } {
  let name = written;
  let set: 'none' | 'any' | 'all' = 'none';
  if (name.startsWith('ForAnyValue:')) {
    set = 'any';
    name = name.slice('ForAnyValue:'.length);
  } else if (name.startsWith('ForAllValues:')) {
    set = 'all';
    name = name.slice('ForAllValues:'.length);
  }
  let ifExists = false;
  if (name.endsWith('IfExists')) {
    ifExists = true;
    name = name.slice(0, -'IfExists'.length);
  }
  if (name === 'Null') {
    // Null takes neither a set operator nor IfExists.
    if (set !== 'none' || ifExists) throw new UnknownOperatorError(written);
    return { spec: 'Null', set, ifExists };
  }
  const spec = Object.prototype.hasOwnProperty.call(OPERATORS, name) ? OPERATORS[name] : undefined;
  if (!spec) throw new UnknownOperatorError(written);
  return { spec, set, ifExists };
}

function policyValues(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new BadConditionValueError('an empty list of values');
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new BadConditionValueError(`a value of type ${v === null ? 'null' : typeof v}`);
  });
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

const EPOCH = /^\d+$/;

/** ISO 8601 (date, or date and time) or epoch seconds → milliseconds. */
export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (EPOCH.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseBool(text: string): boolean | undefined {
  const t = text.toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

function compare(c: Comparison, a: number, b: number): boolean {
  switch (c) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
  }
}

/** Socket addresses of IPv4 clients arrive as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
function normalizeIp(text: string): { address: string; type: 'ipv4' | 'ipv6' } | undefined {
  let t = text.trim();
  if (t.toLowerCase().startsWith('::ffff:') && isIP(t.slice(7)) === 4) t = t.slice(7);
  const version = isIP(t);
  if (version === 4) return { address: t, type: 'ipv4' };
  if (version === 6) return { address: t, type: 'ipv6' };
  return undefined;
}

function ipTest(values: string[]): ValueTest {
  const list = new BlockList();
  let broken = false;
  for (const v of values) {
    const [address, prefixText, ...rest] = v.trim().split('/');
    const ip = normalizeIp(address);
    const prefix = prefixText === undefined ? undefined : Number(prefixText);
    const max = ip?.type === 'ipv4' ? 32 : 128;
    if (!ip || rest.length > 0 || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max)) || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
      broken = true;
      continue;
    }
    if (prefix === undefined) list.addAddress(ip.address, ip.type);
    else list.addSubnet(ip.address, prefix, ip.type);
  }
  return (requestValue) => {
    if (broken) return undefined;
    const ip = normalizeIp(requestValue);
    if (!ip) return undefined;
    return list.check(ip.address, ip.type);
  };
}

function typedTest<T>(values: string[], parse: (t: string) => T | undefined, match: (request: T, policy: T) => boolean): ValueTest {
  const parsed = values.map(parse);
  const broken = parsed.some((p) => p === undefined);
  return (requestValue) => {
    if (broken) return undefined;
    const r = parse(requestValue);
    if (r === undefined) return undefined;
    return parsed.some((p) => match(r, p as T));
  };
}

function templatesOf(values: string[], substitute: boolean): Template[] {
  return values.map((v) => parseTemplate(v, substitute));
}

function stringTest(spec: OperatorSpec, values: string[], substitute: boolean): ValueTest {
  const templates = templatesOf(values, substitute);
  const dynamic = templates.some((t) => t.parts);
  if (spec.family === 'String') {
    if (!dynamic) {
      const set = new Set(values);
      return (r) => set.has(r);
    }
    return (r, lookup) => templates.some((t) => renderText(t, lookup) === r);
  }
  if (spec.family === 'StringIgnoreCase') {
    if (!dynamic) {
      const set = new Set(values.map((v) => v.toLowerCase()));
      return (r) => set.has(r.toLowerCase());
    }
    return (r, lookup) => templates.some((t) => renderText(t, lookup)?.toLowerCase() === r.toLowerCase());
  }
  // StringLike: wildcards in the written text; substituted values are literal.
  const matchers = templates.map((t) => (t.parts ? undefined : compileWildcard(t.raw)));
  return (r, lookup) =>
    templates.some((t, i) => {
      const m = matchers[i];
      if (m) return m(r);
      const source = renderPatternSource(t, lookup);
      return source !== undefined && new RegExp(`^${source}$`, 's').test(r);
    });
}

function arnTest(values: string[], substitute: boolean): ValueTest {
  const templates = templatesOf(values, substitute);
  const matchers = templates.map((t) => (t.parts ? undefined : compileArnPattern(t.raw)));
  return (r, lookup) => {
    // ARN operators compare ARNs segment by segment: a request value that is not an ARN matches nothing.
    if (!splitArn(r)) return false;
    return templates.some((t, i) => {
      const m = matchers[i];
      if (m) return m(r);
      const source = renderArnPatternSource(t, lookup);
      return source !== undefined && new RegExp(`^${source}$`, 's').test(r);
    });
  };
}

function valueTest(spec: OperatorSpec, values: string[], substitute: boolean): ValueTest {
  switch (spec.family) {
    case 'String':
    case 'StringIgnoreCase':
    case 'StringLike':
      return stringTest(spec, values, substitute);
    case 'Arn':
      return arnTest(values, substitute);
    case 'Numeric':
      return typedTest(values, parseNumber, (r, p) => compare(spec.comparison, r, p));
    case 'Date':
      return typedTest(values, parseDate, (r, p) => compare(spec.comparison, r, p));
    case 'Bool':
      return typedTest(values, parseBool, (r, p) => r === p);
    case 'Binary': {
      // Base64 values compared as written (KMS has no binary condition key; kept for completeness).
      const set = new Set(values);
      return (r) => set.has(r);
    }
    case 'Ip':
      return ipTest(values);
  }
}

function asList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** Compiles one `operator: { key: values }` entry. `substitute`: the policy's Version is 2012-10-17. */
export function compileCondition(operator: string, key: string, rawValue: unknown, substitute: boolean): CompiledCondition {
  const { spec, set, ifExists } = parseOperator(operator);
  const values = policyValues(rawValue);
  const lowerKey = key.toLowerCase();
  if (spec === 'Null') {
    const wanted = values.map((v) => parseBool(v));
    return {
      operator,
      key: lowerKey,
      test: (lookup) => {
        const present = asList(lookup(lowerKey, key)).length > 0;
        // "true": the key must be absent; "false": present. Anything else never matches.
        return wanted.some((w) => (w === true ? !present : w === false ? present : false));
      },
    };
  }
  const test = valueTest(spec, values, substitute);
  const negated = spec.negated;
  return {
    operator,
    key: lowerKey,
    test: (lookup) => {
      const requestValues = asList(lookup(lowerKey, key));
      if (set === 'all') {
        if (requestValues.length === 0) return true;
        for (const r of requestValues) {
          const hit = test(r, lookup);
          if (hit === undefined) return false;
          if (negated ? hit : !hit) return false;
        }
        return true;
      }
      if (requestValues.length === 0) return ifExists || (set === 'none' && negated);
      if (set === 'any') {
        let any = false;
        for (const r of requestValues) {
          const hit = test(r, lookup);
          if (hit === undefined) return false;
          if (negated ? !hit : hit) any = true;
        }
        return any;
      }
      // No set operator: a multi-valued request key matches when any of its values matches (kmslite's choice).
      let positive = false;
      for (const r of requestValues) {
        const hit = test(r, lookup);
        if (hit === undefined) return false;
        if (hit) positive = true;
      }
      return negated ? !positive : positive;
    },
  };
}

