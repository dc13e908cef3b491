import { createHash, randomBytes } from 'node:crypto';
import { KmsError, errors } from '../protocol/errors.js';
import type { GrantRecord, KeyRecord } from '../store/records.js';
import type { OperationContext } from './context.js';
import { invalidMarker } from './aliases.js';
import { liveKey } from './resolveKey.js';
import { keyArn } from '../util/arn.js';

/**
 * Grants: records, grant tokens, the GrantTokens check, and the rules CreateGrant applies to Operations and
 * Constraints. Grants are recorded, not enforced (policy and grant evaluation is a later issue).
 */

/** Grants per KMS key (developer guide "Resource quotas": 50,000, not adjustable). */
export const MAX_GRANTS_PER_KEY = 50_000;

/** ListGrants / ListRetirableGrants: Limit 1..100 (API reference), default 50. */
export const DEFAULT_GRANT_LIMIT = 50;
export const MAX_GRANT_LIMIT = 100;

/** Grant constraints: up to 8 encryption context pairs, values up to 384 characters (API reference CreateGrant). */
const MAX_CONSTRAINT_PAIRS = 8;
const MAX_CONSTRAINT_VALUE_LENGTH = 384;

let nextSequence = 0;

/** Operations every key type can grant. */
const COMMON = ['CreateGrant', 'RetireGrant', 'DescribeKey'];

/**
 * Grant operations valid per key type (API reference CreateGrant: "if the grant allows an operation that the
 * KMS key does not support, CreateGrant fails with a ValidationException"; Operations parameter per key type).
 */
export function grantableOperations(key: KeyRecord): Set<string> {
  const { KeySpec: keySpec, KeyUsage: keyUsage } = key.metadata;
  if (keySpec === 'SYMMETRIC_DEFAULT') {
    return new Set([
      ...COMMON, 'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
      'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
    ]);
  }
  switch (keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return new Set([...COMMON, 'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey']);
    case 'SIGN_VERIFY':
      return new Set([...COMMON, 'Sign', 'Verify', 'GetPublicKey']);
    case 'GENERATE_VERIFY_MAC':
      return new Set([...COMMON, 'GenerateMac', 'VerifyMac']);
    case 'KEY_AGREEMENT':
      return new Set([...COMMON, 'DeriveSharedSecret', 'GetPublicKey']);
    default:
      return new Set(COMMON);
  }
}

export type GrantConstraints = NonNullable<GrantRecord['Constraints']>;

/** Checks that need no key: run before the key lookup. */
export function checkGrantRequestShape(operations: readonly string[], constraints: GrantConstraints | undefined): void {
  // AWS-observed (ansible/ansible#31960): a grant of CreateGrant alone.
  if (operations.length > 0 && operations.every((operation) => operation === 'CreateGrant')) {
    throw errors.validation('Grants must not contain only the CreateGrant operation.');
  }
  if (operations.length === 0) throw errors.validation('Grants must contain at least one operation.');
  if (!constraints) return;
  // AWS-observed (terraform-provider-aws, internal/service/kms/grant.go): both constraint kinds at once.
  if (constraints.EncryptionContextEquals !== undefined && constraints.EncryptionContextSubset !== undefined) {
    throw errors.validation('More than one constraint supplied');
  }
  for (const context of [constraints.EncryptionContextEquals, constraints.EncryptionContextSubset]) {
    if (context === undefined) continue;
    const entries = Object.entries(context);
    if (entries.length > MAX_CONSTRAINT_PAIRS) {
      throw errors.validation(`A grant constraint can include at most ${MAX_CONSTRAINT_PAIRS} encryption context pairs.`);
    }
    if (entries.some(([, value]) => value.length > MAX_CONSTRAINT_VALUE_LENGTH)) {
      throw errors.validation(`A grant constraint encryption context value cannot exceed ${MAX_CONSTRAINT_VALUE_LENGTH} characters.`);
    }
  }
}

/** Checks against the key's type: operations it supports, and constraints only on symmetric encryption keys. */
export function checkGrantForKey(key: KeyRecord, operations: readonly string[], constraints: GrantConstraints | undefined): void {
  const valid = grantableOperations(key);
  const invalid = [...new Set(operations.filter((operation) => !valid.has(operation)))];
  if (invalid.length > 0) {
    throw errors.validation(
      `Grant operations ${invalid.join(', ')} are not valid for a KMS key with key spec ${key.metadata.KeySpec} and key usage ${key.metadata.KeyUsage}.`,
    );
  }
  const hasConstraint = constraints && (constraints.EncryptionContextEquals !== undefined || constraints.EncryptionContextSubset !== undefined);
  if (hasConstraint && key.metadata.KeySpec !== 'SYMMETRIC_DEFAULT') {
    throw errors.validation(
      `Encryption context grant constraints are not valid for a KMS key with key spec ${key.metadata.KeySpec}; they apply only to symmetric encryption KMS keys.`,
    );
  }
}

/** A new GrantId: 64 lowercase hex characters, as AWS's. */
export function newGrantId(): string {
  return randomBytes(32).toString('hex');
}

/** After state was restored from disk: new grants list after every restored one. */
export function continueGrantSequenceAfter(sequence: number): void {
  nextSequence = Math.max(nextSequence, sequence + 1);
}

export function newGrantRecord(fields: Omit<GrantRecord, 'sequence'>): GrantRecord {
  return { ...fields, sequence: nextSequence++ };
}

/** Same grant parameters (Name idempotency): principals, operations as a set, constraints. */
export function sameGrantParameters(
  grant: GrantRecord,
  request: { GranteePrincipal: string; RetiringPrincipal?: string; Operations: readonly string[]; Constraints?: GrantConstraints },
): boolean {
  return (
    grant.GranteePrincipal === request.GranteePrincipal &&
    grant.RetiringPrincipal === request.RetiringPrincipal &&
    sameSet(grant.Operations, request.Operations) &&
    sameContext(grant.Constraints?.EncryptionContextEquals, request.Constraints?.EncryptionContextEquals) &&
    sameContext(grant.Constraints?.EncryptionContextSubset, request.Constraints?.EncryptionContextSubset)
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((value) => right.has(value));
}

function sameContext(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && a[key] === b[key]);
}

/** ListGrants / ListRetirableGrants entry; absent optional members are left out. */
export function grantListEntry(grant: GrantRecord) {
  return {
    KeyId: grant.KeyArn,
    GrantId: grant.GrantId,
    ...(grant.Name !== undefined ? { Name: grant.Name } : {}),
    CreationDate: grant.CreationDate,
    GranteePrincipal: grant.GranteePrincipal,
    ...(grant.RetiringPrincipal !== undefined ? { RetiringPrincipal: grant.RetiringPrincipal } : {}),
    IssuingAccount: grant.IssuingAccount,
    Operations: [...grant.Operations],
    ...(grant.Constraints !== undefined ? { Constraints: structuredClone(grant.Constraints) } : {}),
  };
}

// ---- Grant tokens ----

/**
 * A grant token names its grant: base64url of `kmslite-grant/1|<account>|<region>|<key id>|<grant id>|<nonce>`
 * followed by a 16-byte SHA-256 check, so RetireGrant by token alone finds the key and the grant, every
 * CreateGrant call gets a different token for the same grant (as AWS's), and strings kmslite could not have
 * issued are told apart. The check is not a secret: it guards against typos and foreign tokens, not forgery.
 */
const TOKEN_PREFIX = 'kmslite-grant/1';
const CHECK_BYTES = 16;

export interface GrantTokenFields {
  accountId: string;
  region: string;
  keyId: string;
  grantId: string;
}

export function encodeGrantToken(fields: GrantTokenFields): string {
  const payload = Buffer.from(
    [TOKEN_PREFIX, fields.accountId, fields.region, fields.keyId, fields.grantId, randomBytes(24).toString('hex')].join('|'),
    'utf8',
  );
  return Buffer.concat([payload, check(payload)]).toString('base64url');
}

/** The fields of a token kmslite issued, or undefined for any other string. */
export function decodeGrantToken(token: string): GrantTokenFields | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= CHECK_BYTES || bytes.toString('base64url') !== token) return undefined;
  const payload = bytes.subarray(0, bytes.length - CHECK_BYTES);
  if (!check(payload).equals(bytes.subarray(bytes.length - CHECK_BYTES))) return undefined;
  const parts = payload.toString('utf8').split('|');
  if (parts.length !== 6 || parts[0] !== TOKEN_PREFIX) return undefined;
  const [, accountId, region, keyId, grantId] = parts as [string, string, string, string, string, string];
  if (!/^\d{12}$/.test(accountId) || !/^[a-f0-9]{64}$/.test(grantId) || region === '' || keyId === '') return undefined;
  return { accountId, region, keyId, grantId };
}

function check(payload: Buffer): Buffer {
  return createHash('sha256').update(payload).digest().subarray(0, CHECK_BYTES);
}

/** InvalidGrantTokenException (AWS's text is unrecorded). */
export function invalidGrantToken(): KmsError {
  return new KmsError('InvalidGrantTokenException', 'Invalid grant token');
}

/**
 * GrantTokens on any operation (the model already limits the list to 10 tokens of 1..8192 chars): each must be
 * a token kmslite could have issued. A token of a grant since retired or revoked is still well formed and is
 * accepted: grants are not enforced yet.
 */
export function checkGrantTokens(input: { GrantTokens?: unknown }): void {
  const tokens = input.GrantTokens;
  if (!Array.isArray(tokens)) return;
  for (const token of tokens) {
    if (typeof token !== 'string' || decodeGrantToken(token) === undefined) throw invalidGrantToken();
  }
}

// ---- Grant ids ----

export function isWellFormedGrantId(grantId: string): boolean {
  return /^[a-f0-9]{64}$/.test(grantId);
}

/** InvalidGrantIdException for a GrantId that cannot be one (AWS's text is unrecorded). */
export function invalidGrantId(grantId: string): KmsError {
  return new KmsError('InvalidGrantIdException', `Invalid grantId '${grantId}'`);
}

/** NotFoundException for a well-formed GrantId the key does not have (AWS's text is unrecorded). */
export function grantNotFound(grantId: string): KmsError {
  return errors.notFound(`Grant ${grantId} does not exist`);
}

/** The key's grant `grantId`, or the error AWS sends. */
export function findGrant(key: KeyRecord, grantId: string): GrantRecord {
  if (!isWellFormedGrantId(grantId)) throw invalidGrantId(grantId);
  const grant = key.grants.get(grantId);
  if (!grant) throw grantNotFound(grantId);
  return grant;
}

/** The key a token's grant belongs to (the token names its account, Region and key), with AWS's NotFound text. */
export function keyOfToken(context: OperationContext, fields: GrantTokenFields): KeyRecord {
  const store = context.stores.find(fields.accountId, fields.region);
  const key = store && liveKey(context, store, fields.keyId);
  if (!key) throw errors.notFound(`Key '${keyArn(fields.region, fields.accountId, fields.keyId)}' does not exist`);
  return key;
}

// ---- Listing ----

const GRANT_MARKER_PREFIX = 'kmslite-grants:';

function encodeGrantMarker(sequence: number): string {
  return Buffer.from(`${GRANT_MARKER_PREFIX}${sequence}`, 'utf8').toString('base64url');
}

function decodeGrantMarker(marker: string): number | undefined {
  const bytes = Buffer.from(marker, 'base64url');
  if (bytes.toString('base64url') !== marker) return undefined;
  const text = bytes.toString('utf8');
  if (!text.startsWith(GRANT_MARKER_PREFIX)) return undefined;
  const sequence = Number(text.slice(GRANT_MARKER_PREFIX.length));
  return Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : undefined;
}

/**
 * One page of grants in creation order (`grants` sorted by sequence): from the marker's grant on, at most `limit`.
 * Limit above 100 is served as 100 (the API reference's range; the model allows 1000).
 */
export function grantPage(grants: readonly GrantRecord[], marker: string | undefined, limitInput: number | undefined) {
  const limit = Math.min(limitInput ?? DEFAULT_GRANT_LIMIT, MAX_GRANT_LIMIT);
  let start = 0;
  if (marker !== undefined) {
    const from = decodeGrantMarker(marker);
    if (from === undefined) throw invalidMarker();
    while (start < grants.length && grants[start]!.sequence < from) start++;
  }
  const end = Math.min(start + limit, grants.length);
  const page = grants.slice(start, end).map(grantListEntry);
  return end < grants.length
    ? { Grants: page, NextMarker: encodeGrantMarker(grants[end]!.sequence), Truncated: true }
    : { Grants: page, Truncated: false };
}
