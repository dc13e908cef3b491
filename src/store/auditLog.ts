/**
 * The audit trail's file in a data directory: kmslite-audit.jsonl (docs/persistence.md).
 *
 * Audit events have a file of their own, beside the state snapshot and its journal, because they are many and
 * come from every request, reads included: in the journal they made it outgrow the snapshot every few seconds
 * under load, and each fold rebuilt the whole state with the whole ring of events as one JSON text (an RSS
 * sawtooth of 100 MiB in the --data-path soak). Here they are appended in batches, and the file is rewritten
 * (compacted) from the trail's memory once it holds about twice what the trail keeps, one piece at a time.
 *
 *   line 1   <hash> {"format":"kmslite-audit","version":2,"id":…,"firstSequence":1,"written":…}
 *   then     <hash> {"sequence":n,"entries":[…]}
 *            entry = {"lastUse":{arn,operation,timeMs,requestId,eventId}} or {"event":<the trail's record>}
 *
 * The lines are those of the journal (src/store/sequencedLog.ts): checksummed, numbered, and counted in the
 * header, so a damaged, missing, repeated, moved or cut-off line stops start-up. A version 1 file (plain JSON
 * header, lines that are bare arrays) is still read, and rewritten as version 2 at that start.
 * One line per batch, one checksum per line: hashing and parsing per event would cost more than the event.
 * A compacted file starts with every key's last use, then the events in memory, oldest first; later lines are
 * events appended since. Nobody waits for an audit event: they are written within AUDIT_FLUSH_MS, so a crash can
 * lose its last half-second of events. A damaged line stops start-up like a damaged journal line; a last line cut
 * off by a crash is dropped with a warning.
 */
import { StateFileError } from './lowdbStateFile.js';
import type { AuditLogEntry, PersistedAudit } from './persistence.js';
import { DataFormatError } from './recordChecks.js';
import { SequencedLogWriter, newLogId, readSequencedLog } from './sequencedLog.js';

export const AUDIT_LOG_FILE = 'kmslite-audit.jsonl';
const AUDIT_LOG_FORMAT = 'kmslite-audit';

/** Events are written at the latest this long after they happen... */
const AUDIT_FLUSH_MS = 500;
/** ...or as soon as this many are waiting. */
const AUDIT_FLUSH_EVENTS = 1000;
/** The file is compacted when more entries than this (and than its compacted form had) were appended since. */
const MIN_APPENDS_BETWEEN_COMPACTIONS = 1000;
/** Compaction writes lines of this many entries, one at a time, never the whole text at once. */
const ENTRIES_PER_COMPACTED_LINE = 500;

export class AuditLog {
  private file: SequencedLogWriter | undefined;
  private audit: PersistedAudit | undefined;
  /** Entries waiting for the next append. */
  private pending: AuditLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The write under way (or the last one), never rejected: each write is chained after it. */
  private chain: Promise<void> = Promise.resolve();
  private entriesAtCompaction = 0;
  private appendedSinceCompaction = 0;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Puts the file's last uses and events into `audit`, then records every new event `audit` reports.
   * `required`: the file must exist (a version 2 state file is always written after its audit log).
   */
  async load(audit: PersistedAudit, required: boolean): Promise<void> {
    this.audit = audit;
    let entries = 0;
    let version = 0;
    try {
      const contents = await readSequencedLog(
        this.path,
        AUDIT_LOG_FORMAT,
        'batch',
        (_header, headerVersion) => {
          version = headerVersion;
        },
        (record) => {
          const list = version === 1 ? record : record.entries;
          if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'object' && entry !== null && ('lastUse' in entry || 'event' in entry))) {
            throw new DataFormatError('not a list of events and last uses');
          }
          list.forEach((entry: AuditLogEntry, index) => {
            try {
              audit.restoreEntry(entry);
            } catch (error) {
              throw new DataFormatError(`entry ${index + 1}: ${(error as Error).message}`);
            }
          });
          entries += list.length;
        },
      );
      if (contents.tornBytes > 0) this.warn(`${this.path}: dropped an incomplete last line (${contents.tornBytes} bytes) left by a crash`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // No audit log: a new data directory, or one whose audit log was deleted.
      if (required) throw new StateFileError(`${this.path} is missing: the state file beside it is always written after it, so it was deleted`);
    }
    this.entriesAtCompaction = entries;
    audit.onNewEntry((entry) => this.add(entry));
  }

  /** Resolves once every event reported so far is in the file. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return this.chain;
    return this.enqueue(() => this.appendPending());
  }

  /** Rewrites the file from the trail's memory: every last use, then the events it keeps. */
  compact(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.enqueue(() => this.rewrite());
  }

  /** Compacts (a clean stop leaves the smallest file) and lets go of the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.compact().catch((error: Error) => this.warn(`could not write the audit events at stop: ${error.message}`));
    this.closed = true;
    await this.file?.close();
    this.file = undefined;
  }

  private add(entry: AuditLogEntry): void {
    if (this.closed) return;
    this.pending.push(entry);
    // Exactly at the mark: one write is queued per batch, not one per event while it waits for the disk.
    if (this.pending.length === AUDIT_FLUSH_EVENTS) {
      this.flush().catch((error: Error) => this.warn(`could not write audit events: ${error.message}`));
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flush().catch((error: Error) => this.warn(`could not write audit events: ${error.message}`));
      }, AUDIT_FLUSH_MS).unref();
    }
  }

  private enqueue(write: () => Promise<void>): Promise<void> {
    const result = this.chain.then(write);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async appendPending(): Promise<void> {
    if (this.pending.length === 0) return;
    // No file yet (start-up compacts, so only after a failed compaction): begin again with the whole trail.
    if (!this.file) return this.rewrite();
    const entries = this.pending;
    this.pending = [];
    await this.file.append((sequence) => JSON.stringify({ sequence, entries }));
    this.appendedSinceCompaction += entries.length;
    if (this.appendedSinceCompaction > Math.max(MIN_APPENDS_BETWEEN_COMPACTIONS, this.entriesAtCompaction)) await this.rewrite();
  }

  private async rewrite(): Promise<void> {
    if (!this.audit) return;
    // The checkpoint is taken now, in one turn of the event loop, and holds every event reported so far: those
    // waiting are in it (or were dropped from the trail's memory already), so they are not appended again.
    const checkpoint = this.audit.checkpoint();
    this.pending = [];
    await this.file?.close();
    this.file = undefined;
    let count = 0;
    this.file = await SequencedLogWriter.create(this.path, { format: AUDIT_LOG_FORMAT, id: newLogId(), firstSequence: 1 }, async (append) => {
      let entries: AuditLogEntry[] = [];
      const line = async () => {
        const batch = entries;
        entries = [];
        count += batch.length;
        await append((sequence) => JSON.stringify({ sequence, entries: batch }));
      };
      for (const entry of checkpoint) {
        entries.push(entry);
        if (entries.length === ENTRIES_PER_COMPACTED_LINE) await line();
      }
      if (entries.length > 0) await line();
    });
    this.entriesAtCompaction = count;
    this.appendedSinceCompaction = 0;
  }
}
