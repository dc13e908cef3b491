/**
 * The audit event: a compact record kept in memory (AuditRecord, redacted when it is made) and the
 * CloudTrail record shape it is turned into when read or written (CloudTrailEvent). docs/audit.md describes
 * every field and which choices are confirmed by the CloudTrail / KMS documentation.
 */
import { KeyLastUsageTrackingOperation } from '../model/generated/enums.js';
import { partitionFor } from '../util/arn.js';
import type { JsonObject } from './redact.js';
import { unpackJson } from './packedJson.js';
import { cloudTrailIdentity, type AuditAccess, type AuditIdentity } from './accessExplanation.js';

/** CloudTrail's current record format version (CloudTrail user guide, "CloudTrail record contents"; the KMS examples use it). */
export const EVENT_VERSION = '1.11';
export const EVENT_SOURCE = 'kms.amazonaws.com';

/**
 * One request as the trail keeps it: a handful of flat strings and numbers. requestParameters and
 * responseElements are kept as JSON text (already redacted): one string instead of an object graph is cheaper
 * for the garbage collector, and it holds no reference into the request (V8 keeps substrings of a parsed
 * request body as slices of the whole body text, plaintext included).
 */
export interface AuditRecord {
  /** Request instant, epoch milliseconds (kmslite's clock). */
  timeMs: number;
  eventName: string;
  region: string;
  /** The account the request ran in (recipientAccountId; the caller's account). */
  accountId: string;
  /** true: the request passed authentication and ran as the account (root); false: it never got that far. */
  verified: boolean;
  accessKeyId?: string;
  sourceIp?: string;
  userAgent?: string;
  /** JSON text of requestParameters, or null; in the ring, packed (packedJson.ts: read it through unpackJson). */
  requestJson: string | null;
  /** JSON text of responseElements, or null; in the ring, packed like requestJson. */
  responseJson: string | null;
  errorCode?: string;
  errorMessage?: string;
  requestId: string;
  eventId: string;
  /** ARNs of the KMS keys the request used, in order (ReEncrypt: source, then destination). */
  keyArns: string[];
  /** With access control on: who called (userIdentity follows it) and the decision (`?explain=true`). */
  identity?: AuditIdentity;
  access?: AuditAccess;
  /** requestParameters or responseElements was over the size limit and left out (trail.ts, MAX_PARAMETERS_CHARS). */
  omitted?: true;
}

export interface CloudTrailUserIdentity {
  type: 'Root' | 'Unknown' | 'IAMUser' | 'AssumedRole';
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
}

export interface CloudTrailResource {
  accountId: string;
  type: 'AWS::KMS::Key';
  ARN: string;
}

export interface CloudTrailEvent {
  eventVersion: string;
  userIdentity: CloudTrailUserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string | null;
  userAgent: string | null;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: CloudTrailResource[];
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
  /** Present (true) when requestParameters or responseElements was too large and left out, as in CloudTrail. */
  omitted?: true;
}

/**
 * Operations CloudTrail marks `"readOnly": true`: the cryptographic operations (the developer guide's
 * Encrypt, GenerateDataKey(WithoutPlaintext), ReEncrypt, Verify and VerifyMac examples) and every Describe /
 * Get / List operation (DescribeKey, GetParametersForImport and ListGrants examples). Everything else changes
 * state and is `false` (UpdateKeyDescription, CreateGrant examples).
 */
const READ_ONLY_CRYPTO = new Set([
  'Decrypt', 'DeriveSharedSecret', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GenerateRandom', 'ReEncrypt', 'Sign', 'Verify', 'VerifyMac',
]);

export function isReadOnly(eventName: string): boolean {
  return READ_ONLY_CRYPTO.has(eventName) || eventName.startsWith('Describe') || eventName.startsWith('Get') || eventName.startsWith('List');
}

/** The operations GetKeyLastUsage tracks (the model's KeyLastUsageTrackingOperation enum). */
const TRACKED = new Set<string>(KeyLastUsageTrackingOperation);

export function isTrackedUse(eventName: string): boolean {
  return TRACKED.has(eventName);
}

/** `2025-05-20T20:46:16Z`: CloudTrail's eventTime has second precision. */
export function eventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The CloudTrail record for one audit record; keys in the order CloudTrail writes them. */
export function toCloudTrail(record: AuditRecord): CloudTrailEvent {
  const event = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(record),
    eventTime: eventTime(record.timeMs),
    eventSource: EVENT_SOURCE,
    eventName: record.eventName,
    awsRegion: record.region,
    sourceIPAddress: record.sourceIp ?? null,
    userAgent: record.userAgent ?? null,
  } as CloudTrailEvent;
  if (record.errorCode !== undefined) {
    event.errorCode = record.errorCode;
    if (record.errorMessage !== undefined) event.errorMessage = record.errorMessage;
  }
  event.requestParameters = record.requestJson === null ? null : (JSON.parse(unpackJson(record.requestJson)) as JsonObject);
  event.responseElements = record.responseJson === null ? null : (JSON.parse(unpackJson(record.responseJson)) as JsonObject);
  event.requestID = record.requestId;
  event.eventID = record.eventId;
  event.readOnly = isReadOnly(record.eventName);
  if (record.keyArns.length > 0) event.resources = resources(record);
  event.eventType = 'AwsApiCall';
  event.managementEvent = true;
  event.recipientAccountId = record.accountId;
  event.eventCategory = 'Management';
  if (record.omitted) event.omitted = true;
  return event;
}

function resources(record: AuditRecord): CloudTrailResource[] {
  return record.keyArns.map((arn) => ({ accountId: arn.split(':')[4] ?? record.accountId, type: 'AWS::KMS::Key', ARN: arn }));
}

/**
 * kmslite has no IAM users: a verified caller is the account itself, logged as CloudTrail logs a request made
 * with the account's root credentials (type Root, principalId = account id, arn `arn:<partition>:iam::<account>:root`).
 * A request whose signature was not verified (authentication failed, or was never reached) gets type Unknown
 * with the access key id and account it claimed, when they could be read.
 */
function userIdentity(record: AuditRecord): CloudTrailUserIdentity {
  if (record.identity && record.verified) return cloudTrailIdentity(record.identity, record.accessKeyId) as unknown as CloudTrailUserIdentity;
  if (!record.verified) {
    const identity: CloudTrailUserIdentity = { type: 'Unknown', accountId: record.accountId };
    if (record.accessKeyId !== undefined) identity.accessKeyId = record.accessKeyId;
    return identity;
  }
  return {
    type: 'Root',
    principalId: record.accountId,
    arn: `arn:${partitionFor(record.region)}:iam::${record.accountId}:root`,
    accountId: record.accountId,
    ...(record.accessKeyId !== undefined ? { accessKeyId: record.accessKeyId } : {}),
  };
}
