/**
 * Turns one finished protocol request into an audit event (src/audit/trail.ts). The pipeline calls it for
 * every request it answers, success or error; kmslite.ts calls it for the bodies it refuses before the
 * pipeline (too large). The audit module knows no HTTP: everything it needs is read from the request here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AuditTrail } from '../audit/trail.js';
import { cutPieces, LONG_MESSAGE_PREVIEW_CHARS, type KmsError } from '../protocol/errors.js';
import type { OperationName } from '../model/generated/operations.js';
import type { RequestAuthz, RequestTrail } from '../kms/context.js';
import { identityOf } from '../audit/accessExplanation.js';
import type { Principal } from '../authz/index.js';
import type { SigV4Settings, VerifiedCaller } from './sigv4.js';

/** What the pipeline learned about a request before it finished (each field set once its step passed). */
export interface RequestAuditState {
  operation?: OperationName;
  caller?: VerifiedCaller;
  /** The request instant on kmslite's clock. */
  nowMs?: number;
  /** The decoded, validated input. */
  input?: object;
  trail?: RequestTrail;
  /** With access control on: the principal and the decisions made. */
  authz?: RequestAuthz;
}

export interface AuditedRequest {
  url: string;
  headers: IncomingHttpHeaders;
  sourceIp?: string;
}

export interface AuditDependencies {
  audit?: AuditTrail;
  sigv4: SigV4Settings;
  clock: { now(): number };
  /** Region for events whose request named none that can be read (kmslite's default Region). */
  defaultRegion?: string;
  /** With access control on: who an authenticated caller is, for requests refused before access control ran. */
  accessControl?: { principalFor(accessKeyId: string, accountId: string, region: string): Principal };
}

/** Longest User-Agent / eventName kept: the values are the caller's, and the ring holds thousands of events. */
const MAX_USER_AGENT = 1024;
const MAX_EVENT_NAME = 128;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function recordProtocolAudit(
  deps: AuditDependencies,
  request: AuditedRequest,
  requestId: string,
  state: RequestAuditState,
  output: object | undefined,
  error: KmsError | undefined,
): void {
  const audit = deps.audit;
  if (!audit) return;
  const caller = state.caller;
  const authz = state.authz;
  // Who called, with access control on; for an authenticated request refused before access control ran
  // (validation...), the principal its access key names.
  const principal = authz ? authz.principal : caller && deps.accessControl?.principalFor(caller.accessKeyId, caller.accountId, caller.region);
  let accountId: string;
  let region: string;
  let accessKeyId: string | undefined;
  if (caller) {
    ({ accountId, region, accessKeyId } = caller);
    // A declared principal acts in its own account (AccessControl.begin): a request refused before that was for it too.
    if (principal) accountId = principal.accountId;
  } else {
    // Not authenticated: the access key and Region the request claims, when its credential scope can be read.
    const claimed = claimedCredential(request);
    accessKeyId = claimed?.accessKeyId;
    const entry = accessKeyId !== undefined ? deps.sigv4.credentials.get(accessKeyId) : undefined;
    accountId = entry?.accountId ?? (accessKeyId !== undefined && /^\d{12}$/.test(accessKeyId) ? accessKeyId : deps.sigv4.defaultAccountId);
    region = claimed && REGION_PATTERN.test(claimed.region) ? claimed.region : (deps.defaultRegion ?? 'us-east-1');
  }
  const keyArns = state.trail?.keyArns ?? [];
  if (output !== undefined) {
    // Operations that create a key name it only in their output (CreateKey, ReplicateKey).
    const created = (output as { KeyMetadata?: { Arn?: string } }).KeyMetadata?.Arn ?? (output as { ReplicaKeyMetadata?: { Arn?: string } }).ReplicaKeyMetadata?.Arn;
    if (typeof created === 'string' && !keyArns.includes(created)) keyArns.push(created);
  }
  const userAgent = headerText(request.headers['user-agent']);
  // CloudTrail records KMS denials as errorCode "AccessDenied" (research §5.8); other errors keep the exception name.
  const errorCode = error && (authz && error.name === 'AccessDeniedException' ? 'AccessDenied' : error.name);
  audit.record({
    timeMs: state.nowMs ?? deps.clock.now(),
    eventName: state.operation ?? eventNameOf(headerText(request.headers['x-amz-target'])),
    operation: state.operation,
    region,
    accountId,
    verified: caller !== undefined,
    accessKeyId,
    sourceIp: request.sourceIp?.startsWith('::ffff:') ? request.sourceIp.slice(7) : request.sourceIp,
    userAgent: userAgent !== undefined && userAgent.length > MAX_USER_AGENT ? userAgent.slice(0, MAX_USER_AGENT) : userAgent,
    requestId,
    input: state.input,
    output,
    // The redacted text when the wire text quotes a secret request value (KmsError.auditMessage).
    error: error && { code: errorCode!, message: auditableMessage(error) },
    keyArns,
    usedKeyArns: state.trail?.usedKeyArns ?? [],
    identity: principal ? identityOf(principal) : undefined,
    access: authz && { mode: authz.mode, decisions: authz.decisions },
  });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** An operation kmslite does not know: the name the X-Amz-Target header asked for. */
function eventNameOf(target: string | undefined): string {
  if (!target) return 'Unknown';
  const dot = target.lastIndexOf('.');
  const name = dot === -1 ? target : target.slice(dot + 1);
  return (name || target).slice(0, MAX_EVENT_NAME);
}

const CREDENTIAL = /Credential=([^/,\s]+)\/[^/,\s]*\/([^/,\s]+)\//;

function claimedCredential(request: AuditedRequest): { accessKeyId: string; region: string } | undefined {
  const authorization = headerText(request.headers['authorization']);
  let match = authorization ? CREDENTIAL.exec(authorization) : null;
  if (!match) {
    const query = request.url.indexOf('?');
    if (query !== -1) {
      const credential = new URLSearchParams(request.url.slice(query + 1)).get('X-Amz-Credential');
      if (credential) match = CREDENTIAL.exec('Credential=' + credential);
    }
  }
  if (!match) return undefined;
  return { accessKeyId: match[1]!.slice(0, 128), region: match[2]! };
}

/**
 * An error's message as the audit trail and the log keep it: secret request values that AWS's wire text quotes
 * are redacted (KmsError.auditMessage), and the Authorization header AWS echoes in IncompleteSignatureException
 * (signature included) is cut.
 */
export function auditableMessage(error: KmsError): string | undefined {
  // A message kept as pieces (over 64 KiB, quoting a request value) reaches the audit trail and the log line cut to
  // its first 512 characters, without being joined (docs/audit.md, "Size limits").
  const message = error.auditMessage ?? (error.messagePieces ? cutPieces(error.messagePieces, LONG_MESSAGE_PREVIEW_CHARS) : error.awsMessage);
  if (message === undefined) return undefined;
  const echoed = message.indexOf('Authorization=');
  return echoed === -1 ? message : message.slice(0, echoed) + 'Authorization=(not logged)';
}
