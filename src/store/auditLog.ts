/**
 * The audit trail's file in a data directory: kmslite-audit.jsonl (docs/persistence.md).
 *
 * Audit events have a file of their own, beside the state snapshot and its journal, because they are many and
 * come from every request, reads included: in the journal they made it outgrow the snapshot every few seconds
 * under load, and each fold rebuilt the whole state with the whole ring of events as one JSON text (an RSS
 * sawtooth of 100 MiB in the --data-path soak). Here they are appended in batches, and the file is rewritten
 * (compacted) from the trail's memory once it holds about twice what the trail keeps, one piece at a time.
 *
 *   line 1   {"format":"kmslite-audit","version":1}
 *   then     <16 hex digits of SHA-256> <JSON array of entries>
 *            entry = {"lastUse":{arn,operation,timeMs,requestId,eventId}} or {"event":<the trail's record>}
 *
 * One line per batch, one checksum per line: hashing and parsing per event would cost more than the event.
 * A compacted file starts with every key's last use, then the events in memory, oldest first; later lines are
 * events appended since. Nobody waits for an audit event: they are written within AUDIT_FLUSH_MS, so a crash can
 * lose its last half-second of events. A damaged line stops start-up like a damaged journal line; a last line cut
 * off by a crash is dropped.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DATA_FILE_MODE, StateFileError } from './lowdbStateFile.js';
import type { AuditLogEntry, PersistedAudit } from './persistence.js';
import { DataFormatError } from './stateCodec.js';

export const AUDIT_LOG_FILE = 'kmslite-audit.jsonl';
const AUDIT_LOG_VERSION = 1;
const HEADER = `${JSON.stringify({ format: 'kmslite-audit', version: AUDIT_LOG_VERSION })}\n`;

/** Events are written at the latest this long after they happen... */
const AUDIT_FLUSH_MS = 500;
/** ...or as soon as this many are waiting. */
const AUDIT_FLUSH_EVENTS = 1000;
/** The file is compacted when more entries than this (and than its compacted form had) were appended since. */
const MIN_APPENDS_BETWEEN_COMPACTIONS = 1000;
/** Compaction writes lines of this many entries, one at a time, never the whole text at once. */
const ENTRIES_PER_COMPACTED_LINE = 500;

export class AuditLog {
  private file: FileHandle | undefined;
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

  /** Puts the file's last uses and events into `audit`, then records every new event `audit` reports. */
  async load(audit: PersistedAudit): Promise<void> {
    this.audit = audit;
    let entries = 0;
    try {
      const torn = await readLines(this.path, (line, lineNumber) => {
        if (lineNumber === 1) return checkHeader(line);
        for (const entry of parseLine(line, lineNumber)) {
          try {
            audit.restoreEntry(entry);
          } catch (error) {
            throw new DataFormatError(`${AUDIT_LOG_FILE} line ${lineNumber}: ${(error as Error).message}`);
          }
          entries++;
        }
      });
      if (torn) this.warn(`${this.path}: dropped an incomplete last line (${torn.length} bytes) left by a crash`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // No audit log yet: a new data directory.
      } else if (error instanceof DataFormatError) {
        throw error;
      } else {
        throw new StateFileError(`cannot read ${this.path}: ${(error as Error).message}`);
      }
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
    await this.file.write(entriesLine(entries));
    await this.file.datasync();
    this.appendedSinceCompaction += entries.length;
    if (this.appendedSinceCompaction > Math.max(MIN_APPENDS_BETWEEN_COMPACTIONS, this.entriesAtCompaction)) await this.rewrite();
  }

  private async rewrite(): Promise<void> {
    if (!this.audit) return;
    // The checkpoint is taken now, in one turn of the event loop, and holds every event reported so far: those
    // waiting are in it (or were dropped from the trail's memory already), so they are not appended again.
    const checkpoint = this.audit.checkpoint();
    this.pending = [];
    const temporary = join(dirname(this.path), `.${basename(this.path)}.tmp`);
    const file = await open(temporary, 'w', DATA_FILE_MODE);
    let count = 0;
    try {
      await file.write(HEADER);
      let entries: AuditLogEntry[] = [];
      for (const entry of checkpoint) {
        entries.push(entry);
        if (entries.length === ENTRIES_PER_COMPACTED_LINE) {
          await file.write(entriesLine(entries));
          count += entries.length;
          entries = [];
        }
      }
      if (entries.length > 0) await file.write(entriesLine(entries));
      count += entries.length;
      await file.sync();
    } finally {
      await file.close();
    }
    await this.file?.close();
    this.file = undefined;
    try {
      await rename(temporary, this.path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(this.path));
    this.file = await open(this.path, 'a', DATA_FILE_MODE);
    this.entriesAtCompaction = count;
    this.appendedSinceCompaction = 0;
  }
}

function entriesLine(entries: AuditLogEntry[]): string {
  const json = JSON.stringify(entries);
  return `${lineHash(json)} ${json}\n`;
}

/** 16 hex digits of SHA-256, as in the journal: enough to tell a damaged line from a good one. */
function lineHash(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

function checkHeader(line: string): void {
  let header: { format?: unknown; version?: unknown };
  try {
    header = JSON.parse(line) as typeof header;
  } catch (error) {
    throw new DataFormatError(`${AUDIT_LOG_FILE} header: ${(error as Error).message}`);
  }
  if (header.format !== 'kmslite-audit') throw new DataFormatError(`${AUDIT_LOG_FILE} header: no "format": "kmslite-audit"`);
  if (typeof header.version !== 'number' || header.version > AUDIT_LOG_VERSION) {
    throw new DataFormatError(`${AUDIT_LOG_FILE}: format version ${String(header.version)} is newer than this kmslite reads (${AUDIT_LOG_VERSION})`);
  }
}

function parseLine(line: string, lineNumber: number): AuditLogEntry[] {
  const json = line.indexOf(' ') === 16 ? line.slice(17) : undefined;
  if (json === undefined || lineHash(json) !== line.slice(0, 16)) throw new DataFormatError(`${AUDIT_LOG_FILE} line ${lineNumber} is damaged (checksum mismatch)`);
  let entries: unknown;
  try {
    entries = JSON.parse(json);
  } catch (error) {
    throw new DataFormatError(`${AUDIT_LOG_FILE} line ${lineNumber}: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries) || !entries.every((entry) => typeof entry === 'object' && entry !== null && ('lastUse' in entry || 'event' in entry))) {
    throw new DataFormatError(`${AUDIT_LOG_FILE} line ${lineNumber}: not a list of events and last uses`);
  }
  return entries as AuditLogEntry[];
}

/**
 * Calls `onLine` for every complete line of the file, streaming (the file can be tens of MB). Resolves with the
 * text after the last newline: a line cut off by a crash, or '' when the file ends with its newline.
 */
async function readLines(path: string, onLine: (line: string, lineNumber: number) => void): Promise<string> {
  let rest = '';
  let lineNumber = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      onLine(text.slice(start, end), ++lineNumber);
      start = end + 1;
    }
    rest = text.slice(start);
  }
  return rest;
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
