/**
 * The audit trail: one event per KMS protocol request, kept in a bounded ring in memory, optionally
 * appended to a JSON-lines file, and a per-key last-use index for GetKeyLastUsage fed by the events of
 * successful cryptographic calls. No HTTP and no Express here: the pipeline hands over plain values.
 *
 * Cost on the request path: one redaction of the input (and, for operations that change state, of the
 * output), one random UUID, one object in the ring. The CloudTrail shape is built when events are read
 * (admin API, snapshot) or written (file, on a later turn of the event loop).
 *
 * Reading (the admin API's filter) is in auditFilter.ts, the checks of persisted events in persistedChecks.ts.
 * Still over ~300 lines because the AuditTrail class is one unit: its ring (bounded by count and bytes), last-use
 * index and persistence hooks share the same private state.
 */
import type { OperationName } from '../model/generated/operations.js';
import { isReadOnly, isTrackedUse, toCloudTrail, type AuditRecord, type CloudTrailEvent } from './events.js';
import { JsonlSink } from './fileSink.js';
import { redactInput, redactOutput } from './redact.js';
import { packJson, unpackJson } from './packedJson.js';
import { flatUuid } from '../util/ids.js';
import { explainDecisions } from './accessExplanation.js';
import type { AuditLogEntry, PersistedLastUse } from '../store/persistence.js';
import { matchesFilter, type AuditFilter } from './auditFilter.js';
import { checkLastUse, checkRecord } from './persistedChecks.js';
export { parseAuditFilter, type AuditFilter } from './auditFilter.js';

export const DEFAULT_AUDIT_MAX_EVENTS = 10_000;
export const DEFAULT_AUDIT_MAX_BYTES = 32 * 1024 * 1024;
/**
 * requestParameters / responseElements longer than this (JSON text) are left out and the event says
 * `"omitted": true`, as CloudTrail does with a field over its maximum size (CloudTrail user guide, "CloudTrail
 * record contents": "If a field is truncated, omitted is present with a value of true"; 100 KB is the size
 * AWS's answers give for responseElements). KMS inputs that pass validation stay far below it.
 */
export const MAX_PARAMETERS_CHARS = 100 * 1024;
/** errorMessage is cut to this many characters (kmslite's choice; CloudTrail's own limit is not documented). */
export const MAX_ERROR_MESSAGE_CHARS = 512;
/** What an event costs beyond its variable texts (object, ids, time, numbers), for the byte budget. */
const RECORD_OVERHEAD_BYTES = 512;
const KEY_ARN_BYTES = 128;

/** The last successful cryptographic use of one key. */
export interface KeyLastUse {
  operation: string;
  timestampMs: number;
  requestId: string;
  eventId: string;
}

/** What GetKeyLastUsage needs from the trail. */
export interface KeyUsageIndex {
  lastUse(keyArn: string): KeyLastUse | undefined;
}

/** One finished protocol request, as the pipeline describes it. */
export interface AuditRequest {
  timeMs: number;
  eventName: string;
  /** A known operation: its input and output are redacted with the model's plans. */
  operation?: OperationName;
  region: string;
  accountId: string;
  verified: boolean;
  accessKeyId?: string;
  sourceIp?: string;
  userAgent?: string;
  requestId: string;
  /** The decoded, validated input (absent when the request failed before validation passed). */
  input?: object;
  /** The operation's output, on success. */
  output?: object;
  error?: { code: string; message?: string };
  /** ARNs of the keys the request resolved, in order. */
  keyArns: string[];
  /** ARNs of the keys a successful cryptographic operation used (kms/usage.ts). */
  usedKeyArns: string[];
  /** With access control on (src/audit/accessExplanation.ts). */
  identity?: AuditRecord['identity'];
  access?: AuditRecord['access'];
}

/** Plain JSON, for tests and comparisons: events oldest first, last uses by key ARN; times as ISO strings. */
export interface AuditSnapshot {
  events: CloudTrailEvent[];
  lastUsage: Record<string, { operation: string; timestamp: string; requestId: string; eventId: string }>;
}

export interface AuditTrailOptions {
  /** Ring size; 0 keeps no events in memory (the last-use index and the file still work). */
  maxEvents?: number;
  /** Estimated bytes the ring may hold; the oldest events go first beyond it (0 keeps none). */
  maxBytes?: number;
  /** Append events as JSON lines to this file. */
  filePath?: string;
  /** File write problems (the trail never throws on the request path). */
  onFileError?: (error: Error) => void;
}

/** `timeMs`: the exact time of the event (its eventTime has whole seconds). */
export type AuditListener = (event: CloudTrailEvent, timeMs: number) => void;

export class AuditTrail implements KeyUsageIndex {
  readonly maxEvents: number;
  readonly maxBytes: number;
  private readonly ring: (AuditRecord | undefined)[];
  /** Estimated size of each event in the ring (same slots), and their sum. */
  private readonly sizes: Float64Array;
  private bytes = 0;
  /** Index of the oldest event in the ring. */
  private head = 0;
  private count = 0;
  private readonly lastUses = new Map<string, KeyLastUse>();
  private readonly listeners = new Set<AuditListener>();
  private entryListener: ((entry: AuditLogEntry) => void) | undefined;
  private readonly sink: JsonlSink | undefined;
  /** The last event's requestParameters text and key ARN list, shared by the next event when equal (record()). */
  private lastRequestJson: string | null = null;
  private lastKeyArns: string[] = NO_KEY_ARNS;

  constructor(options: AuditTrailOptions = {}) {
    const maxEvents = options.maxEvents ?? DEFAULT_AUDIT_MAX_EVENTS;
    if (!Number.isInteger(maxEvents) || maxEvents < 0) throw new Error(`Invalid audit ring size '${maxEvents}': it must be a whole number ≥ 0`);
    const maxBytes = options.maxBytes ?? DEFAULT_AUDIT_MAX_BYTES;
    if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new Error(`Invalid audit byte budget '${maxBytes}': it must be a whole number ≥ 0`);
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.ring = new Array<AuditRecord | undefined>(maxEvents);
    this.sizes = new Float64Array(maxEvents);
    this.sink = options.filePath ? new JsonlSink(options.filePath, options.onFileError ?? (() => {})) : undefined;
  }

  /** Number of events in memory. */
  get size(): number {
    return this.count;
  }

  get filePath(): string | undefined {
    return this.sink?.path;
  }

  /** Records one request: redacts it, keeps it, feeds the last-use index, notifies subscribers, queues the file line. */
  record(request: AuditRequest): AuditRecord {
    const operation = request.operation;
    let responseElements = null;
    if (operation !== undefined && request.output !== undefined && !isReadOnly(request.eventName)) {
      responseElements = redactOutput(operation, request.output);
      // CloudTrail adds the key ARN to CreateGrant's responseElements although the operation does not return it
      // (developer guide, CloudTrail CreateGrant example).
      if (responseElements && operation === 'CreateGrant' && request.keyArns[0] !== undefined) responseElements.keyId = request.keyArns[0];
    }
    const error = request.error;
    let requestJson = operation !== undefined && request.input !== undefined ? JSON.stringify(redactInput(operation, request.input)) : null;
    let responseJson = responseElements ? JSON.stringify(responseElements) : null;
    let omitted = false;
    if (requestJson !== null && requestJson.length > MAX_PARAMETERS_CHARS) {
      requestJson = null;
      omitted = true;
    }
    if (responseJson !== null && responseJson.length > MAX_PARAMETERS_CHARS) {
      responseJson = null;
      omitted = true;
    }
    // Kept for the ring's lifetime, so kept compact: the texts of operations that change state (CreateKey's
    // keyMetadata...) with their recurring phrases packed (packedJson.ts) and as one flat string (JSON.stringify
    // gives a text of several pieces, a rope); read-only calls (Encrypt, Decrypt: short parameters, the hot path)
    // pay for neither. An array that grew by push keeps room for 16 more elements: keyArns gets an exact copy.
    if (requestJson !== null && responseJson !== null) requestJson = flat(packJson(requestJson));
    if (responseJson !== null) responseJson = flat(packJson(responseJson));
    // CreateKey without parameters (and other empty inputs): one shared text instead of a fresh one per event.
    if (requestJson === '{}') requestJson = EMPTY_OBJECT_JSON;
    // Under load consecutive events usually name the same key with the same parameters (Encrypt after Encrypt):
    // the previous event's text and ARN list are shared then, so what each event keeps alive is smaller (every
    // event survives into the old generation, which costs the young generation's collector per byte kept).
    // Nothing changes an event's texts or list once recorded (NO_KEY_ARNS is shared the same way).
    if (requestJson !== null && requestJson === this.lastRequestJson) requestJson = this.lastRequestJson;
    else this.lastRequestJson = requestJson;
    const keyArns = request.keyArns.length === 0 ? NO_KEY_ARNS : sameArns(request.keyArns, this.lastKeyArns) ? this.lastKeyArns : (this.lastKeyArns = request.keyArns.slice());
    const errorMessage = error?.message;
    const record: AuditRecord = {
      timeMs: request.timeMs,
      eventName: error ? flat(request.eventName) : request.eventName,
      region: intern(request.region),
      accountId: intern(request.accountId),
      verified: request.verified,
      accessKeyId: request.accessKeyId === undefined ? undefined : intern(request.accessKeyId),
      sourceIp: request.sourceIp === undefined ? undefined : intern(request.sourceIp),
      userAgent: request.userAgent === undefined ? undefined : intern(request.userAgent),
      requestJson,
      responseJson,
      // Error codes are few (the model's error shapes): kept once, as the values above.
      errorCode: error ? intern(error.code.slice(0, 128)) : undefined,
      // Cut before copying: a refused request can quote a value of up to the whole body.
      errorMessage: errorMessage === undefined ? undefined : flat(errorMessage.length > MAX_ERROR_MESSAGE_CHARS ? errorMessage.slice(0, MAX_ERROR_MESSAGE_CHARS) : errorMessage),
      // The pipeline's request ids come flat from util/ids (newRequestId).
      requestId: request.requestId,
      eventId: flatUuid(),
      keyArns,
    };
    if (request.identity) record.identity = request.identity;
    if (request.access) record.access = request.access;
    if (omitted) record.omitted = true;
    this.keep(record);
    if (request.error === undefined && isTrackedUse(record.eventName)) {
      for (const arn of request.usedKeyArns) this.noteUse(arn, record);
    }
    if (this.listeners.size > 0) {
      const event = toCloudTrail(record);
      for (const listener of this.listeners) listener(event, record.timeMs);
    }
    this.entryListener?.({ event: unpacked(record) });
    this.sink?.push(record);
    return record;
  }

  /** `listener` receives every new event (not restored ones), synchronously, in the CloudTrail shape. Returns an unsubscribe function. */
  subscribe(listener: AuditListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  lastUse(keyArn: string): KeyLastUse | undefined {
    const use = this.lastUses.get(keyArn);
    return use && { ...use };
  }

  /** Forgets every last use (the stores were reset); the events stay. */
  clearLastUsage(): void {
    this.lastUses.clear();
  }

  snapshot(): AuditSnapshot {
    const lastUsage: AuditSnapshot['lastUsage'] = {};
    for (const [arn, use] of this.lastUses) {
      lastUsage[arn] = { operation: use.operation, timestamp: new Date(use.timestampMs).toISOString(), requestId: use.requestId, eventId: use.eventId };
    }
    return { events: this.records().map(toCloudTrail), lastUsage };
  }

  /**
   * For the data directory's audit log: every last use, then the events in memory, oldest first, copied now
   * (events that arrive later are not in it). Events are in their record form, which is plain JSON already.
   */
  checkpoint(): Iterable<AuditLogEntry> {
    const lastUses = [...this.lastUses].map(([arn, use]): PersistedLastUse => ({ arn, operation: use.operation, timeMs: use.timestampMs, requestId: use.requestId, eventId: use.eventId }));
    const records = this.records();
    return (function* () {
      for (const use of lastUses) yield { lastUse: use };
      for (const record of records) yield { event: unpacked(record) };
    })();
  }

  /** Puts back one entry of the audit log; a later last use already known wins. Throws on an entry it cannot read. */
  restoreEntry(entry: AuditLogEntry): void {
    if ('lastUse' in entry) {
      const use = checkLastUse(entry.lastUse);
      const previous = this.lastUses.get(use.arn);
      if (previous && previous.timestampMs > use.timeMs) return;
      this.lastUses.set(use.arn, { operation: use.operation, timestampMs: use.timeMs, requestId: use.requestId, eventId: use.eventId });
      return;
    }
    const record = checkRecord(entry.event);
    if (record.requestJson !== null) record.requestJson = packJson(record.requestJson);
    if (record.responseJson !== null) record.responseJson = packJson(record.responseJson);
    record.region = intern(record.region);
    record.accountId = intern(record.accountId);
    if (record.accessKeyId !== undefined) record.accessKeyId = intern(record.accessKeyId);
    if (record.sourceIp !== undefined) record.sourceIp = intern(record.sourceIp);
    if (record.userAgent !== undefined) record.userAgent = intern(record.userAgent);
    this.keep(record);
    if (record.errorCode === undefined && isTrackedUse(record.eventName)) {
      for (const arn of record.keyArns) this.noteUse(arn, record);
    }
  }

  /** `listener` receives every new event as an audit log entry, synchronously (the data directory's audit log). */
  onNewEntry(listener: (entry: AuditLogEntry) => void): void {
    this.entryListener = listener;
  }

  /**
   * Matching events in the CloudTrail shape, oldest first. `explain`: events made with access control on carry
   * a `kmslite` member with the decision (mode, decision, missing, deciding statements).
   */
  query(filter: AuditFilter = {}, explain = false): CloudTrailEvent[] {
    const matches: AuditRecord[] = [];
    for (const record of this.records()) if (matchesFilter(record, filter)) matches.push(record);
    const limited = filter.limit !== undefined && matches.length > filter.limit ? matches.slice(matches.length - filter.limit) : matches;
    if (!explain) return limited.map(toCloudTrail);
    return limited.map((record) => (record.access ? { ...toCloudTrail(record), kmslite: explainDecisions(record.access) } : toCloudTrail(record)));
  }

  /** Resolves when every event so far is in the file. */
  flush(): Promise<void> {
    return this.sink ? this.sink.flush() : Promise.resolve();
  }

  async close(): Promise<void> {
    await this.sink?.close();
  }

  private keep(record: AuditRecord): void {
    if (this.maxEvents === 0) return;
    const size = estimatedBytes(record);
    if (size > this.maxBytes) return;
    // The oldest events go until the new one fits both the count and the byte budget.
    while (this.count > 0 && (this.count === this.maxEvents || this.bytes + size > this.maxBytes)) {
      this.bytes -= this.sizes[this.head]!;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % this.maxEvents;
      this.count--;
    }
    const slot = (this.head + this.count) % this.maxEvents;
    this.ring[slot] = record;
    this.sizes[slot] = size;
    this.bytes += size;
    this.count++;
  }

  /** Estimated bytes of the events in memory (docs/audit.md). */
  get estimatedBytes(): number {
    return this.bytes;
  }

  private noteUse(arn: string, record: AuditRecord): void {
    const previous = this.lastUses.get(arn);
    if (!previous) {
      this.lastUses.set(arn, { operation: record.eventName, timestampMs: record.timeMs, requestId: record.requestId, eventId: record.eventId });
    } else if (previous.timestampMs <= record.timeMs) {
      // In place: one object per key, not one per use.
      previous.operation = record.eventName;
      previous.timestampMs = record.timeMs;
      previous.requestId = record.requestId;
      previous.eventId = record.eventId;
    }
  }

  /** Events in memory, oldest first. */
  private records(): AuditRecord[] {
    const out: AuditRecord[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.ring[(this.head + i) % this.maxEvents]!;
    return out;
  }
}

/** An event's memory, estimated from its texts (V8 stores most as one byte per character). */
function estimatedBytes(record: AuditRecord): number {
  return (
    RECORD_OVERHEAD_BYTES +
    (record.requestJson?.length ?? 0) +
    (record.responseJson?.length ?? 0) +
    (record.errorMessage?.length ?? 0) +
    record.eventName.length +
    record.keyArns.length * KEY_ARN_BYTES
  );
}

/** The record as it leaves the trail for the data directory: its JSON texts unpacked (packedJson.ts). */
function unpacked(record: AuditRecord): AuditRecord {
  const requestJson = record.requestJson === null ? null : unpackJson(record.requestJson);
  const responseJson = record.responseJson === null ? null : unpackJson(record.responseJson);
  return requestJson === record.requestJson && responseJson === record.responseJson ? record : { ...record, requestJson, responseJson };
}

function sameArns(arns: readonly string[], previous: readonly string[]): boolean {
  if (arns.length !== previous.length) return false;
  for (let i = 0; i < arns.length; i++) if (arns[i] !== previous[i]) return false;
  return true;
}

/** The keyArns of every event that names no key: one shared, frozen array (nothing adds to an event's list). */
const NO_KEY_ARNS: string[] = Object.freeze([]) as unknown as string[];

/**
 * Values that repeat from request to request (Region, account, access key, source address, User-Agent), kept
 * once. Copying also detaches them from the request's header and body texts (see AuditRecord).
 */
const interned = new Map<string, string>();
const MAX_INTERNED = 4096;

function intern(value: string): string {
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size >= MAX_INTERNED) interned.clear();
  const copy = flat(value);
  interned.set(copy, copy);
  return copy;
}

const EMPTY_OBJECT_JSON = '{}';

/** A flat copy of `value` that shares no storage with the string (or the pieces of the rope) it came from. */
function flat(value: string): string {
  return value.length < 13 ? value : Buffer.from(value, 'utf8').toString('utf8');
}
