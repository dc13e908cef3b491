/**
 * AWS Signature Version 4 verification, as KMS applies it to every request (aws-kms-wire.md §3, §4).
 *
 * Our own implementation on purpose: `aws4` (kept as an independent signer in the tests) trusts the
 * `x-amz-content-sha256` header instead of hashing the body and silently drops some signed headers
 * (anchor-study.md §6).
 *
 * Order of checks (each step names the AWS behaviour it reproduces; the first failing step answers):
 *  1. `Authorization` header and `X-Amz-Algorithm` query parameter together → InvalidSignatureException.
 *  2. Neither → MissingAuthenticationTokenException.
 *  3. Form: header form (algorithm, key=value components, required parts, a date header) or query
 *     (presigned) form (required parameters, algorithm) → IncompleteSignatureException;
 *     `host` not signed → InvalidSignatureException.
 *  4. Credential: five slash-separated elements (IncompleteSignatureException); request date in ISO
 *     basic format (IncompleteSignatureException); scope region / service / terminator / date, reported
 *     together in one InvalidSignatureException the way AWS concatenates them.
 *  5. Access key: unknown → UnrecognizedClientException (strict) or accepted unverified (permissive).
 *  6. Time window: ±maxClockSkewMs (5 minutes, KMS's window), or X-Amz-Expires for presigned requests.
 *  7. Body integrity: `x-amz-content-sha256`, when sent, must be the hex SHA-256 of the raw body.
 *  8. Signature recomputed over the raw request and compared in constant time (known keys only).
 *
 * Deviation from a strict "key before date" order: the scope-date mismatch (`Date in Credential scope
 * does not match …`) is reported with the other scope checks in step 4, before the access-key lookup,
 * because AWS reports scope problems as one concatenated message (region, service, terminator, date).
 * Which of "unknown key" and "bad scope" AWS reports first is not recorded anywhere we know of.
 *
 * Files: sigv4Parse.ts reads the header or query form (steps 3–4's parsing), sigv4Signing.ts holds the canonical
 * forms and the signing-key cache (step 8), sigv4Texts.ts the AWS error texts; this file runs the steps in order.
 *
 * Texts: those from aws-kms-wire.md §3–§4 (and kinesalite's JSON 1.1 texts) are used verbatim. Texts that are not
 * recorded for KMS are marked CHOSEN in sigv4Texts.ts, with where they come from.
 *
 * Nothing here logs or returns the expected signature, the canonical request or the secret.
 */
import { hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { KmsError } from '../protocol/errors.js';
import type { CredentialEntry } from '../config/config.js';
import {
  credentialScope,
  firstQueryValue,
  headerValue,
  isoBasic,
  parseHeaderAuth,
  parseIsoBasic,
  parseQuery,
  parseQueryAuth,
  parseRfc1123,
  signedHeaderList,
} from './sigv4Parse.js';
import { canonicalHeaderValue, canonicalQuery, canonicalUri, hmacHex, signingKey } from './sigv4Signing.js';
import {
  ALGORITHM,
  MSG_BOTH_AUTH,
  MSG_EXPIRES_MISSING,
  MSG_HOST_NOT_SIGNED,
  MSG_MISSING_TOKEN,
  MSG_REQUEST_EXPIRED,
  MSG_SIGNATURE_MISMATCH,
  MSG_UNRECOGNIZED_CLIENT,
  SERVICE,
  TERMINATOR,
  msgBadDateFormat,
  msgCredentialElements,
  msgScopeDate,
  msgScopeRegion,
} from './sigv4Texts.js';
export type { CredentialEntry };
export { clearSigningKeyCache } from './sigv4Signing.js';

export interface SigV4Settings {
  /** access key id → secret (+ optional account). */
  credentials: ReadonlyMap<string, CredentialEntry>;
  /** Permissive default: an unknown access key is accepted with an unverified signature. Strict mode rejects it. */
  acceptUnknownAccessKeys: boolean;
  /** KMS_ACCOUNT_ID, default 111122223333. */
  defaultAccountId: string;
  /** Default 5 minutes (KMS's window, aws-kms-wire.md §3.4). */
  maxClockSkewMs?: number;
  /** Called each time an unknown key is accepted (the caller logs once). */
  onUnverifiableAccessKey?: (accessKeyId: string) => void;
  /**
   * --strict-credentials: also refuse an X-Amz-Security-Token (every known key is long-term) and a presigned
   * request without X-Amz-Expires.
   */
  strictSigning?: boolean;
  /** Regions a scope may name (regions.ts); absent = any Region-shaped name. */
  knownRegions?: ReadonlySet<string>;
}

export interface VerifiedCaller {
  accessKeyId: string;
  accountId: string;
  region: string;
  signatureVerified: boolean;
}

export interface RawRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Loose region shape (us-east-1, us-gov-west-1, cn-northwest-1, us-isob-east-1, …); `local` is also accepted
 * (CHOSEN: some local-emulator setups configure that name). Anything else is a "valid region" scope error.
 */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function isTwelveDigits(value: string): boolean {
  if (value.length !== 12) return false;
  for (let i = 0; i < 12; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** One-shot SHA-256 (node:crypto `hash`, Node ≥ 20.12): about half the cost of createHash().update().digest(). */
function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

/**
 * Verify the SigV4 signature of one KMS request. Throws KmsError with AWS's code and text on failure.
 * `nowMs` is the server clock (injectable for tests).
 */
export function verifySigV4(request: RawRequest, settings: SigV4Settings, nowMs: number): VerifiedCaller {
  const { headers } = request;
  const url = request.url;
  const qIndex = url.indexOf('?');
  const path = qIndex === -1 ? url : url.slice(0, qIndex);
  const params = qIndex === -1 ? [] : parseQuery(url.slice(qIndex + 1));
  // An empty Authorization header counts as absent (kinesalite: `!authHeader`).
  const authorization = headerValue(headers, 'authorization') || undefined;
  const queryAuth = params.length > 0 && firstQueryValue(params, 'X-Amz-Algorithm') !== undefined;

  // 1. Both forms at once: AWS refuses to choose (kinesalite, JSON 1.1).
  if (authorization !== undefined && queryAuth) throw new KmsError('InvalidSignatureException', MSG_BOTH_AUTH);
  // 2. Neither form.
  if (authorization === undefined && !queryAuth) throw new KmsError('MissingAuthenticationTokenException', MSG_MISSING_TOKEN);

  // 3. The form of the header or query parameters.
  const auth = authorization !== undefined ? parseHeaderAuth(authorization, headers) : parseQueryAuth(params);
  const signed = signedHeaderList(auth.signedHeaders);
  if (!signed.hostSigned) throw new KmsError('InvalidSignatureException', MSG_HOST_NOT_SIGNED);
  // Strict mode: a presigned request must say how long it lives (CHOSEN text: the form of the other missing
  // query parameters above; AWS's answer for KMS is not recorded). Permissive mode keeps the 5-minute window.
  if (queryAuth && auth.expiresSeconds === undefined && settings.strictSigning) {
    throw new KmsError('IncompleteSignatureException', MSG_EXPIRES_MISSING);
  }

  // 4. Credential scope `<AKID>/<YYYYMMDD>/<region>/kms/aws4_request`, and the request date's format.
  const scope = credentialScope(auth.credential);
  if (scope === undefined) throw new KmsError('IncompleteSignatureException', msgCredentialElements(auth.credential));
  const { accessKeyId, scopeDate, region } = scope;
  const requestMs = auth.rfc1123Date ? parseRfc1123(auth.rawDate) : parseIsoBasic(auth.rawDate);
  if (Number.isNaN(requestMs)) throw new KmsError('IncompleteSignatureException', msgBadDateFormat(auth.rawDate));
  const requestDateTime = auth.rfc1123Date ? isoBasic(requestMs) : auth.rawDate;
  const requestDate = requestDateTime.slice(0, 8);
  let scopeMessage = '';
  // A Set lookup first: the known Regions are the common case. Without a known set, any Region-shaped name.
  if (!(settings.knownRegions?.has(region) || (settings.knownRegions === undefined && (region === 'local' || REGION_PATTERN.test(region))))) {
    scopeMessage += msgScopeRegion(region);
  }
  // Service and terminator: their sentences are worked out once per credential scope (credentialScope).
  scopeMessage += scope.serviceMessage;
  if (scopeDate !== requestDate) scopeMessage += msgScopeDate(scopeDate, requestDate, auth.rawDate);
  if (scopeMessage !== '') throw new KmsError('InvalidSignatureException', scopeMessage);

  // 5. Access key → secret. Unknown keys: AWS's UnrecognizedClientException, or accepted unverified.
  const entry = settings.credentials.get(accessKeyId);
  if (entry === undefined && !settings.acceptUnknownAccessKeys) {
    throw new KmsError('UnrecognizedClientException', MSG_UNRECOGNIZED_CLIENT);
  }
  // Every key kmslite knows is a long-term key: a session token with one is a token AWS would not recognise
  // (AWS answers a bad X-Amz-Security-Token with this code and text). Strict mode only: permissive mode
  // accepts the temporary credentials local setups often carry.
  if (settings.strictSigning && (headers['x-amz-security-token'] !== undefined || (queryAuth && firstQueryValue(params, 'X-Amz-Security-Token') !== undefined))) {
    throw new KmsError('UnrecognizedClientException', MSG_UNRECOGNIZED_CLIENT);
  }

  // 6. Time window: KMS allows 5 minutes either way (aws-kms-wire.md §3.4); presigned requests live for X-Amz-Expires.
  const skew = settings.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (requestMs > nowMs + skew) {
    throw new KmsError(
      'InvalidSignatureException',
      `Signature not yet current: ${requestDateTime} is still later than ${isoBasic(nowMs + skew)} (${isoBasic(nowMs)} + ${formatSkew(skew)}.)`,
    );
  }
  if (auth.expiresSeconds !== undefined) {
    if (nowMs > requestMs + auth.expiresSeconds * 1000) throw new KmsError('InvalidSignatureException', MSG_REQUEST_EXPIRED);
  } else if (requestMs < nowMs - skew) {
    throw new KmsError(
      'InvalidSignatureException',
      `Signature expired: ${requestDateTime} is now earlier than ${isoBasic(nowMs - skew)} (${isoBasic(nowMs)} - ${formatSkew(skew)}.)`,
    );
  }

  // 7. Body integrity. The canonical request always uses the hash of the raw bytes received; a client that
  // sent (and signed) a different x-amz-content-sha256 is refused here, also for unverifiable keys.
  // `UNSIGNED-PAYLOAD` (and STREAMING-*) are not accepted: KMS payloads are always signed, so they fail like
  // any other mismatch. AWS's exact text for this case is not recorded; we send the generic mismatch text.
  const bodyHash = request.body.length === 0 ? EMPTY_SHA256 : sha256Hex(request.body);
  const declaredHash = headerValue(headers, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash.trim() !== bodyHash) {
    throw new KmsError('InvalidSignatureException', MSG_SIGNATURE_MISMATCH);
  }

  const accountId = entry?.accountId ?? (isTwelveDigits(accessKeyId) ? accessKeyId : settings.defaultAccountId);

  if (entry === undefined) {
    settings.onUnverifiableAccessKey?.(accessKeyId);
    return { accessKeyId, accountId, region, signatureVerified: false };
  }

  // 8. Recompute the signature over exactly the signed headers and the raw body; compare in constant time.
  let canonicalHeaders = '';
  for (let i = 0; i < signed.names.length; i++) {
    const value = headerValue(headers, signed.lowerNames[i]!);
    canonicalHeaders += signed.names[i]! + ':' + (value === undefined ? '' : canonicalHeaderValue(value)) + '\n';
  }
  const canonicalRequest =
    request.method + '\n' +
    canonicalUri(path) + '\n' +
    canonicalQuery(params) + '\n' +
    canonicalHeaders + '\n' +
    auth.signedHeaders + '\n' +
    bodyHash;
  const stringToSign =
    ALGORITHM + '\n' +
    requestDateTime + '\n' +
    scopeDate + '/' + region + '/' + SERVICE + '/' + TERMINATOR + '\n' +
    sha256Hex(canonicalRequest);
  const expected = hmacHex(signingKey(entry.secretAccessKey, scopeDate, region), stringToSign);
  if (!sameTextInConstantTime(auth.signature, expected)) {
    throw new KmsError('InvalidSignatureException', MSG_SIGNATURE_MISMATCH);
  }
  return { accessKeyId, accountId, region, signatureVerified: true };
}

/**
 * Compares the provided signature with the expected one without stopping at the first difference (as
 * timingSafeEqual does), on the texts themselves: two Buffers per request made from them cost more than the
 * comparison (an 8 KiB pool slab every 64 requests), and every character is compared whole (a latin1 Buffer
 * keeps only the low byte of a character above U+00FF, which a presigned URL's decoded signature can hold).
 */
function sameTextInConstantTime(provided: string, expected: string): boolean {
  if (provided.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= provided.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

/** `5 min` for the default window (AWS's wording); whole minutes otherwise, seconds as a fallback. */
function formatSkew(ms: number): string {
  return ms % 60000 === 0 ? `${ms / 60000} min` : `${Math.round(ms / 1000)} sec`;
}
