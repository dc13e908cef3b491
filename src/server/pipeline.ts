/**
 * THE ordered list of checks every KMS protocol request goes through. It takes
 * {method, url, headers, body} and returns {status, headers, body}: no sockets, so tests and the
 * benchmark can drive it directly.
 *
 * Order is behaviour: AWS answers a request that is wrong in several ways with one specific error.
 * The order below is the one kinesalite recorded against a live AWS JSON 1.1 (Coral) service, which
 * is KMS's protocol stack: body framing and target first, then authentication, then validation, then
 * the operation (resource lookup and key state). See each step's comment.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isUtf8 } from 'node:buffer';
import { KmsError, errorWireBody, errors } from '../protocol/errors.js';
import { encodeOutput, parseTarget } from '../protocol/json.js';
import { decodeAndValidate } from '../protocol/validation.js';
import { LARGE_JSON_BYTES, parseLargeJson } from '../protocol/largeBody.js';
import { verifySigV4, type SigV4Settings } from './sigv4.js';
import { checkGrantTokens } from '../kms/grants.js';
import type { OperationName } from '../model/generated/operations.js';
import type { Operation, OperationContext } from '../kms/context.js';
import type { StoreBundle } from '../store/bundle.js';
import type { ChangeTracker } from '../store/changeTracker.js';
import type { Persistence } from '../store/persistence.js';
import type { Clock } from '../util/clock.js';
import { newRequestId } from '../util/ids.js';
import type { AuditTrail } from '../audit/trail.js';
import { auditableMessage, recordProtocolAudit, type RequestAuditState } from './pipelineAudit.js';
import type { AccessControl } from './accessControl.js';

export interface ProtocolRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The socket's remote address, for the audit event's sourceIPAddress. */
  sourceIp?: string;
}

export interface ProtocolResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text; bytes when an error message is kept as pieces (errorWireBody). */
  body: string | Buffer;
  /** What the request log line needs; never secrets. */
  log: RequestLog;
}

export interface RequestLog {
  requestId: string;
  operation?: string;
  accountId?: string;
  region?: string;
  keyId?: string;
  error?: string;
  /** The error's message as the audit event has it: secret request values that AWS's wire text quotes are redacted (KmsError.auditMessage). */
  errorMessage?: string;
}

export interface PipelineDependencies {
  stores: StoreBundle;
  clock: Clock;
  sigv4: SigV4Settings;
  operations: Readonly<Record<OperationName, Operation>>;
  /** With a data directory: a request that changed state is answered only once the change is on disk. */
  persistence?: { tracker: ChangeTracker; persistence: Persistence };
  /** One audit event per request (src/audit/trail.ts); none when absent. */
  audit?: AuditTrail;
  /** Region of audit events for requests that name none (kmslite's default Region). */
  defaultRegion?: string;
  /** Every request is served from this Region, whatever its signature's Region (--single-region, as local-kms). */
  fixedRegion?: string;
  /** Told of every NotFoundException an operation answered (kmslite.ts logs where else the key is). */
  onNotFound?: (input: Record<string, unknown>, accountId: string, region: string) => void;
  /** `--access-control audit|enforce`; absent with `off`, the default (src/server/accessControl.ts). */
  accessControl?: AccessControl;
}

const JSON_CONTENT_TYPES = new Set(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json']);

/**
 * Synchronous from end to end when nothing in it is asynchronous (the usual case: no data directory, an operation
 * that does not wait): the answer is returned, not a promise, so a request costs no promise chain or microtask
 * hops. A promise comes back only when a step really waits (an asynchronous operation or access-control check,
 * or a write to the data directory). Every error still becomes an answer; the order of the steps is unchanged.
 */
export function handleProtocolRequest(request: ProtocolRequest, deps: PipelineDependencies): ProtocolResponse | Promise<ProtocolResponse> {
  const log: RequestLog = { requestId: newRequestId() };
  const state: RequestAuditState = {};
  const changesBefore = deps.persistence?.tracker.changeCount;
  const touchedKeys: OperationContext['touchedKeys'] = deps.persistence ? [] : undefined;
  const done: Finished = { request, deps, log, state, touchedKeys, changesBefore };
  let output: object | Promise<object>;
  try {
    output = run(request, deps, log, state, touchedKeys);
  } catch (error) {
    return finish(done, undefined, asKmsError(error, log));
  }
  if (output instanceof Promise) {
    return output.then(
      (value) => finish(done, value, undefined),
      (error: unknown) => finish(done, undefined, asKmsError(error, log)),
    );
  }
  return finish(done, output, undefined);
}

/** What finishing a request needs from its start. */
interface Finished {
  request: ProtocolRequest;
  deps: PipelineDependencies;
  log: RequestLog;
  state: RequestAuditState;
  touchedKeys: OperationContext['touchedKeys'];
  changesBefore: number | undefined;
}

function finish(done: Finished, output: object | undefined, failure: KmsError | undefined): ProtocolResponse | Promise<ProtocolResponse> {
  const { deps, touchedKeys } = done;
  // Marked again now that the operation is over: what it changed after an await is in the write too.
  if (touchedKeys) for (const { store, key } of touchedKeys) deps.persistence!.tracker.keyRecordChanged(store, key);
  // A change (even by a request that then failed, e.g. a rotation that fell due) is on disk before the answer.
  if (deps.persistence && deps.persistence.tracker.changeCount !== done.changesBefore) {
    return deps.persistence.persistence.commit().then(
      () => answer(done, output, failure),
      (error: unknown) => answer(done, undefined, asKmsError(error, done.log)),
    );
  }
  return answer(done, output, failure);
}

function answer({ request, deps, log, state }: Finished, output: object | undefined, failure: KmsError | undefined): ProtocolResponse {
  if (deps.audit) recordProtocolAudit(deps, request, log.requestId, state, output, failure);
  if (failure?.name === 'NotFoundException' && deps.onNotFound && state.input && state.caller) {
    deps.onNotFound(state.input as Record<string, unknown>, state.caller.accountId, state.caller.region);
  }
  if (failure) {
    log.error = failure.name;
    const message = auditableMessage(failure);
    if (message !== undefined) log.errorMessage = message;
    return respond(failure.status, errorWireBody(failure), log);
  }
  return respond(200, encodeOutput(output!), log);
}

function asKmsError(error: unknown, log: RequestLog): KmsError {
  return error instanceof KmsError ? error : unexpected(error, log);
}

function run(
  request: ProtocolRequest,
  deps: PipelineDependencies,
  log: RequestLog,
  state: RequestAuditState,
  touchedKeys: OperationContext['touchedKeys'],
): object | Promise<object> {
  const operation = parseTarget(header(request.headers, 'x-amz-target'));
  if (operation) log.operation = state.operation = operation;

  // 1. Content type: only the JSON protocol types are understood (Coral answers others with UnknownOperation).
  // The SDKs send exactly one of the types: checked as it is first, without the split, trim and lower-casing.
  const contentTypeHeader = header(request.headers, 'content-type') ?? '';
  if (!JSON_CONTENT_TYPES.has(contentTypeHeader) && !JSON_CONTENT_TYPES.has(contentTypeHeader.split(';')[0]!.trim().toLowerCase())) throw errors.unknownOperation();

  // 2. An empty body: SerializationException for a known operation, UnknownOperationException otherwise.
  if (request.body.length === 0) throw operation ? errors.serialization() : errors.unknownOperation();

  // 3. The body must be a JSON object; AWS sends SerializationException without a message. Invalid UTF-8
  // (also inside a string) is refused as AWS's parser refuses it, not read as U+FFFD (isUtf8: no allocation).
  if (!isUtf8(request.body)) throw errors.serialization();
  let json: unknown;
  try {
    json = request.body.length >= LARGE_JSON_BYTES ? parseLargeJson(request.body) : JSON.parse(request.body.toString('utf8'));
  } catch {
    throw errors.serialization();
  }
  if (typeof json !== 'object' || json === null) throw errors.serialization();

  // 4. Unknown X-Amz-Target (wrong prefix or operation): UnknownOperationException, no message.
  if (!operation) throw errors.unknownOperation();

  // 5. Authentication: missing, incomplete, unknown key, date window, body hash, signature (sigv4.ts has the order).
  // The date window is real time: moving kmslite's clock (tests, the admin API) must not break clients' signatures.
  const signed = verifySigV4(request, deps.sigv4, Date.now());
  const caller = deps.fixedRegion && signed.region !== deps.fixedRegion ? { ...signed, region: deps.fixedRegion } : signed;
  const nowMs = deps.clock.now();
  state.caller = caller;
  state.nowMs = nowMs;
  log.accountId = caller.accountId;
  log.region = caller.region;

  // 6. Types (SerializationException), then model constraints (ValidationException), then the rules the model cannot express.
  const input = decodeAndValidate(operation, json);
  state.input = input;
  if (typeof input.KeyId === 'string') log.keyId = input.KeyId;
  // Grant tokens, on every operation that takes them, must be tokens kmslite issued (InvalidGrantTokenException).
  checkGrantTokens(input);

  // 7. The operation: resource lookup, key state, key usage, then the work.
  const context: OperationContext = {
    requestId: log.requestId,
    operation,
    accountId: caller.accountId,
    region: caller.region,
    accessKeyId: caller.accessKeyId,
    now: new Date(nowMs),
    store: deps.stores.get(caller.accountId, caller.region),
    stores: deps.stores,
    touchedKeys,
  };
  if (deps.audit) {
    context.trail = state.trail = { keyArns: [], usedKeyArns: [] };
    context.usage = deps.audit;
  }
  // Access control (audit, enforce): who is calling, and the actions without a key resource. Keys are
  // authorized where the operation finds them (resolveKey), between the NotFound checks and the key state.
  if (deps.accessControl) {
    const begun = deps.accessControl.begin(context, caller, input as Record<string, unknown>, request.sourceIp, header(request.headers, 'user-agent'));
    if (begun instanceof Promise) {
      return begun.then((authz) => {
        state.authz = authz;
        log.accountId = caller.accountId;
        return deps.operations[operation](input, context);
      });
    }
    state.authz = begun;
    log.accountId = caller.accountId;
  }
  return deps.operations[operation](input, context);
}

/**
 * An error message as log lines carry it. AWS's IncompleteSignatureException echoes the whole Authorization
 * header (signature included) after `Authorization=`: log lines never hold signatures, so that part is cut.
 * Other messages echo only what AWS echoes (validation renders no sensitive member and no blob's bytes).
 */

function respond(status: number, body: string | Buffer, log: RequestLog): ProtocolResponse {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': log.requestId,
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
    log,
  };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** A bug in kmslite: answer as AWS answers a server fault, and keep the details for the log. */
function unexpected(error: unknown, log: RequestLog): KmsError {
  (log as RequestLog & { fault?: string }).fault = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return errors.internal();
}
