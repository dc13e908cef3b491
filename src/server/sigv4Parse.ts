/**
 * The parsing half of SigV4 verification (src/server/sigv4.ts runs the checks in order): the Authorization header
 * or presigned query parameters → credential, signed headers, signature, request date; the credential scope and
 * the SignedHeaders list; the request date's two formats. Form errors are thrown here with AWS's texts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { KmsError } from '../protocol/errors.js';
import {
  ALGORITHM,
  MAX_PRESIGN_EXPIRES_SECONDS,
  MSG_EXPIRES_NOT_NUMBER,
  MSG_EXPIRES_TOO_LONG,
  SERVICE,
  TERMINATOR,
  msgScopeService,
  msgScopeTerminator,
  msgUnsupportedAlgorithm,
} from './sigv4Texts.js';

// ---------------------------------------------------------------------------------------------------------------
// Small parsing helpers (all regexes are module-level, compiled once)
// ---------------------------------------------------------------------------------------------------------------

const AUTH_COMPONENT_SPLIT = /[, ]+/;
const RFC1123_DATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/**
 * A header as received. node:http joins most repeated headers with ', ' before we see them (SigV4 joins with
 * ','), so a client repeating a signed header fails; no AWS client does that. The typeof checks keep
 * prototype names (`constructor`, `__proto__`) in a hostile SignedHeaders list from reaching Object.prototype.
 */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value: unknown = headers[name];
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(',') : undefined;
}

/** Query decoding: `+` is a space (form encoding, as Java servers and aws4 read it); bad %-escapes are kept literally. */
function queryDecode(value: string): string {
  if (value.indexOf('%') === -1 && value.indexOf('+') === -1) return value;
  const spaced = value.indexOf('+') === -1 ? value : value.split('+').join(' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Zero-padded decimal of fixed width. */
function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function isoBasic(ms: number): string {
  const d = new Date(ms);
  return (
    pad(d.getUTCFullYear(), 4) + pad(d.getUTCMonth() + 1, 2) + pad(d.getUTCDate(), 2) + 'T' +
    pad(d.getUTCHours(), 2) + pad(d.getUTCMinutes(), 2) + pad(d.getUTCSeconds(), 2) + 'Z'
  );
}

export function digits(value: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/** `YYYYMMDDTHHMMSSZ` → epoch ms, or NaN. */
export function parseIsoBasic(value: string): number {
  if (value.length !== 16 || value.charCodeAt(8) !== 84 /* T */ || value.charCodeAt(15) !== 90 /* Z */) return NaN;
  const year = digits(value, 0, 4);
  const month = digits(value, 4, 6);
  const day = digits(value, 6, 8);
  const hour = digits(value, 9, 11);
  const minute = digits(value, 11, 13);
  const second = digits(value, 13, 15);
  return utc(year, month - 1, day, hour, minute, second);
}

/** RFC 1123 `Tue, 20 Aug 2024 23:01:43 GMT` → epoch ms, or NaN. */
export function parseRfc1123(value: string): number {
  const m = RFC1123_DATE.exec(value);
  if (m === null) return NaN;
  const month = MONTHS[m[2] as string];
  if (month === undefined) return NaN;
  return utc(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (
    Number.isNaN(year + month + day + hour + minute + second) ||
    month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59
  ) {
    return NaN;
  }
  // Reject dates Date.UTC silently rolls over (Feb 30 → Mar 2). Date.UTC reads years 0–99 as 1900–1999.
  if (day > daysInMonth(year < 100 ? 1900 + year : year, month)) return NaN;
  return Date.UTC(year, month, day, hour, minute, second);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 1) return DAYS_IN_MONTH[month]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

export interface QueryParam {
  key: string;
  value: string;
}

export function parseQuery(query: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (query === '') return params;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    params.push({ key: queryDecode(rawKey), value: queryDecode(rawValue) });
  }
  return params;
}

export function firstQueryValue(params: readonly QueryParam[], key: string): string | undefined {
  for (const p of params) if (p.key === key) return p.value;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// What depends only on a header's text, parsed once per distinct text: a client sends the same SignedHeaders
// list and, all day, the same credential scope on every request. Bounded; emptied when full.
// ---------------------------------------------------------------------------------------------------------------

const PARSED_CACHE_MAX = 256;

interface SignedHeaderList {
  /** As sent (the canonical request uses them as sent). */
  names: string[];
  /** Lowercased, for the header lookup. */
  lowerNames: string[];
  hostSigned: boolean;
}

const signedHeaderLists = new Map<string, SignedHeaderList>();

export function signedHeaderList(signedHeaders: string): SignedHeaderList {
  let list = signedHeaderLists.get(signedHeaders);
  if (list === undefined) {
    const names = signedHeaders.split(';');
    const lowerNames = names.map((name) => name.toLowerCase());
    list = { names, lowerNames, hostSigned: lowerNames.includes('host') };
    if (signedHeaderLists.size >= PARSED_CACHE_MAX) signedHeaderLists.clear();
    signedHeaderLists.set(signedHeaders, list);
  }
  return list;
}

interface CredentialScope {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  /** The service and terminator sentences of the scope error ('' when both are right). */
  serviceMessage: string;
}

const credentialScopes = new Map<string, CredentialScope>();

/** `<AKID>/<YYYYMMDD>/<region>/kms/aws4_request`, or undefined when it does not have five elements. */
export function credentialScope(credential: string): CredentialScope | undefined {
  const cached = credentialScopes.get(credential);
  if (cached !== undefined) return cached;
  const parts = credential.split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];
  let serviceMessage = '';
  if (service !== SERVICE) serviceMessage += msgScopeService();
  if (terminator !== TERMINATOR) serviceMessage += msgScopeTerminator(terminator);
  const scope = { accessKeyId, scopeDate, region, serviceMessage };
  if (credentialScopes.size >= PARSED_CACHE_MAX) credentialScopes.clear();
  credentialScopes.set(credential, scope);
  return scope;
}

// ---------------------------------------------------------------------------------------------------------------
// The two forms of a signed request
// ---------------------------------------------------------------------------------------------------------------

export interface ParsedAuth {
  credential: string;
  signedHeaders: string;
  signature: string;
  /** Raw request date as sent (X-Amz-Date, Date header, or X-Amz-Date query parameter). */
  rawDate: string;
  /** Whether rawDate is an RFC 1123 `Date` header value. */
  rfc1123Date: boolean;
  /** X-Amz-Expires, seconds (query form only). */
  expiresSeconds: number | undefined;
}

const HEADER_PARAMS = ['Credential', 'Signature', 'SignedHeaders'] as const;
const QUERY_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] as const;

/**
 * The header as every AWS SDK writes it: `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`, each value
 * non-empty and free of spaces and commas. For such a header the general parse below finds exactly these three
 * values, so they are read with one match instead.
 */
const SDK_AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^, ]+), SignedHeaders=([^, ]+), Signature=([^, ]+)$/;

export function parseHeaderAuth(authorization: string, headers: IncomingHttpHeaders): ParsedAuth {
  const sdk = SDK_AUTHORIZATION.exec(authorization);
  if (sdk !== null) {
    const amzDate = headerValue(headers, 'x-amz-date');
    const httpDate = amzDate ? undefined : headerValue(headers, 'date');
    if (amzDate || httpDate) {
      return { credential: sdk[1]!, signedHeaders: sdk[2]!, signature: sdk[3]!, rawDate: (amzDate || httpDate)!, rfc1123Date: !amzDate, expiresSeconds: undefined };
    }
  }
  const space = authorization.indexOf(' ');
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new KmsError('IncompleteSignatureException', msgUnsupportedAlgorithm(algorithm));
  }
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  if (space !== -1) {
    for (const token of authorization.slice(space + 1).split(AUTH_COMPONENT_SPLIT)) {
      if (token === '') continue;
      const eq = token.indexOf('=');
      if (eq === -1) {
        throw new KmsError(
          'IncompleteSignatureException',
          `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
        );
      }
      values[token.slice(0, eq)] = token.slice(eq + 1);
    }
  }
  const amzDate = headerValue(headers, 'x-amz-date');
  const httpDate = amzDate ? undefined : headerValue(headers, 'date');
  let message = '';
  for (const param of HEADER_PARAMS) {
    if (!values[param]) message += `Authorization header requires '${param}' parameter. `;
  }
  if (!amzDate && !httpDate) {
    message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (message !== '') throw new KmsError('IncompleteSignatureException', message + 'Authorization=' + authorization);
  return {
    credential: values['Credential'] as string,
    signedHeaders: values['SignedHeaders'] as string,
    signature: values['Signature'] as string,
    rawDate: (amzDate || httpDate) as string,
    rfc1123Date: !amzDate,
    expiresSeconds: undefined,
  };
}

export function parseQueryAuth(params: readonly QueryParam[]): ParsedAuth {
  const found: (string | undefined)[] = QUERY_PARAMS.map((name) => firstQueryValue(params, name));
  let message = '';
  for (let i = 0; i < QUERY_PARAMS.length; i++) {
    if (!found[i]) message += `AWS query-string parameters must include '${QUERY_PARAMS[i]}'. `;
  }
  if (message !== '') throw new KmsError('IncompleteSignatureException', message + 'Re-examine the query-string parameters.');
  const [algorithm, credential, signature, signedHeaders, rawDate] = found as string[];
  if (algorithm !== ALGORITHM) {
    throw new KmsError('IncompleteSignatureException', msgUnsupportedAlgorithm(algorithm as string));
  }
  let expiresSeconds: number | undefined;
  const expires = firstQueryValue(params, 'X-Amz-Expires');
  if (expires !== undefined) {
    const n = digits(expires, 0, expires.length);
    if (expires === '' || Number.isNaN(n)) throw new KmsError('IncompleteSignatureException', MSG_EXPIRES_NOT_NUMBER);
    if (n > MAX_PRESIGN_EXPIRES_SECONDS) throw new KmsError('IncompleteSignatureException', MSG_EXPIRES_TOO_LONG);
    expiresSeconds = n;
  }
  return {
    credential: credential as string,
    signedHeaders: signedHeaders as string,
    signature: signature as string,
    rawDate: rawDate as string,
    rfc1123Date: false,
    expiresSeconds,
  };
}
