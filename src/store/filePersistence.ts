/**
 * State in a data directory (KMS_DATA_PATH / --data-path), docs/persistence.md has the user's view:
 *
 *   kmslite-state.json     the whole state at one moment (a lowdb document, src/store/lowdbStateFile.ts)
 *   kmslite-journal.jsonl  every change since that moment, one line per write, appended and fsynced
 *   kmslite-audit.jsonl    the audit trail's events and last uses (src/store/auditLog.ts)
 *   kmslite.lock           who holds the directory
 *
 * A request that changed something is answered only after the changed records are in the journal and synced,
 * so an acknowledged change survives SIGKILL (and a power cut). Requests that arrive while a write is under
 * way share the next write (group commit): one append and one fsync for all of them. When the journal
 * outgrows the snapshot, the snapshot is rewritten and the journal started afresh (atomic renames; the
 * generation number says which journal continues which snapshot, so a crash between the two renames is safe).
 *
 * A state file or journal that is unreadable, corrupted or from an unknown format version stops start-up with
 * a message and is left untouched. The one exception is a journal's last line without its newline: that write
 * was cut off by a crash before it was acknowledged, and it is dropped.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink, utimes, writeFile, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChangeTracker } from './changeTracker.js';
import { AUDIT_LOG_FILE, AuditLog } from './auditLog.js';
import type { Persistence, RestoreTarget } from './persistence.js';
import {
  DATA_FORMAT_VERSION,
  DataFormatError,
  applyJournalBatch,
  checkStateDocument,
  encodeChanges,
  encodeState,
  rebuildDerivedState,
  restoreState,
  type JournalBatch,
} from './stateCodec.js';
import { DATA_FILE_MODE, LowdbStateFile, StateFileError, writeFileAtomically } from './lowdbStateFile.js';

export const STATE_FILE = 'kmslite-state.json';
export const JOURNAL_FILE = 'kmslite-journal.jsonl';
export const LOCK_FILE = 'kmslite.lock';

/** The journal is folded into a new snapshot when it is bigger than this and than the last snapshot. */
const MIN_COMPACTION_BYTES = 8 * 1024 * 1024;
/** A lock whose holder has not refreshed it for this long is stale (a kmslite on another host that died). */
const LOCK_STALE_MS = 30_000;
const LOCK_HEARTBEAT_MS = 10_000;

/** Lock files held by this process: a second kmslite in the same process is refused too. */
const heldLocks = new Set<string>();

/** Start-up must stop: the message says which file and what is wrong with it. */
export class DataDirectoryError extends Error {}

export class FilePersistence implements Persistence {
  private readonly statePath: string;
  private readonly journalPath: string;
  private readonly lockPath: string;
  private readonly stateFile: LowdbStateFile;
  private target: RestoreTarget | undefined;
  private journal: FileHandle | undefined;
  private generation = 0;
  private journalBytes = 0;
  private snapshotBytes = 0;
  /** The write under way (or the last one), never rejected: each write is chained after it. */
  private chain: Promise<void> = Promise.resolve();
  /** The write that has not started yet; everyone who marks a change now waits for it. */
  private nextWrite: Promise<void> | undefined;
  private readonly auditLog: AuditLog;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    readonly directory: string,
    private readonly tracker: ChangeTracker,
    private readonly warn: (message: string) => void,
  ) {
    this.statePath = join(directory, STATE_FILE);
    this.journalPath = join(directory, JOURNAL_FILE);
    this.lockPath = join(directory, LOCK_FILE);
    this.stateFile = new LowdbStateFile(this.statePath);
    this.auditLog = new AuditLog(join(directory, AUDIT_LOG_FILE), warn);
  }

  /** Creates the directory if needed (0700) and takes its lock; throws DataDirectoryError when it cannot. */
  static async open(directory: string, tracker: ChangeTracker, warn: (message: string) => void): Promise<FilePersistence> {
    const absolute = resolve(directory);
    try {
      await mkdir(absolute, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new DataDirectoryError(`cannot create data directory ${absolute}: ${(error as Error).message}`);
    }
    const persistence = new FilePersistence(absolute, tracker, warn);
    await persistence.lock();
    return persistence;
  }

  async load(target: RestoreTarget): Promise<boolean> {
    this.target = target;
    try {
      const found = await this.readState(target);
      // Marks made while loading describe what is already on disk.
      this.tracker.take();
      if (target.audit) await this.auditLog.load(target.audit);
      return found;
    } catch (error) {
      await this.unlock();
      if (error instanceof DataFormatError) throw new DataDirectoryError(`a file in ${this.directory} is corrupted: ${error.message}. The files were left untouched.`);
      if (error instanceof StateFileError || error instanceof DataDirectoryError) {
        throw new DataDirectoryError(`${error.message}. The files were left untouched; move them away to start empty.`);
      }
      throw error;
    }
  }

  commit(): Promise<void> {
    if (this.tracker.isEmpty && this.nextWrite === undefined) return this.chain;
    this.nextWrite ??= this.enqueue(() => this.writeChanges());
    return this.nextWrite;
  }

  async flush(): Promise<void> {
    await this.commit();
    await this.auditLog.flush();
  }

  /** A new snapshot and a compacted audit log. */
  async saveAll(): Promise<void> {
    await Promise.all([this.enqueue(() => this.writeSnapshot()), this.auditLog.compact()]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.enqueue(() => this.writeSnapshot()).catch((error: Error) => this.warn(`could not write the state at stop: ${error.message}`));
    await this.auditLog.close();
    await this.journal?.close();
    this.journal = undefined;
    await this.unlock();
  }

  // ------------------------------------------------------------ loading

  private async readState(target: RestoreTarget): Promise<boolean> {
    const document = await this.stateFile.read();
    const journalText = await readFile(this.journalPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new StateFileError(`cannot read ${this.journalPath}: ${error.message}`);
    });
    if (document === null) {
      if (journalText !== undefined && journalText.length > 0) {
        throw new DataDirectoryError(`${this.journalPath} exists without ${STATE_FILE}`);
      }
      return false;
    }
    const state = checkStateDocument(document);
    this.generation = state.generation;
    restoreState(state, target.stores);
    target.setClockOffset(state.clockOffsetMs);
    if (journalText !== undefined) this.replayJournal(journalText, target);
    rebuildDerivedState(target.stores);
    return true;
  }

  private replayJournal(text: string, target: RestoreTarget): void {
    const lines = text.split('\n');
    const torn = lines.pop();
    if (torn) this.warn(`${this.journalPath}: dropped an incomplete last line (${torn.length} bytes) left by a crash; it was never acknowledged`);
    const header = lines.shift();
    if (header === undefined) return;
    let generation: unknown;
    try {
      const parsed = JSON.parse(header) as { format?: unknown; version?: unknown; generation?: unknown };
      if (parsed.format !== 'kmslite-journal') throw new Error('no "format": "kmslite-journal"');
      if (parsed.version !== DATA_FORMAT_VERSION) throw new Error(`format version ${String(parsed.version)}, this kmslite reads ${DATA_FORMAT_VERSION}`);
      generation = parsed.generation;
    } catch (error) {
      throw new DataFormatError(`${JOURNAL_FILE} header: ${(error as Error).message}`);
    }
    // An older journal: the snapshot was rewritten and the crash came before the new journal replaced this one.
    if (typeof generation === 'number' && generation < this.generation) return;
    if (generation !== this.generation) throw new DataFormatError(`${JOURNAL_FILE} continues generation ${String(generation)}, the state file is generation ${this.generation}`);
    lines.forEach((line, index) => {
      const batch = parseJournalLine(line, index + 2);
      applyJournalBatch(batch, target.stores, (offsetMs) => target.setClockOffset(offsetMs));
    });
  }

  // ------------------------------------------------------------ writing

  /** Runs `write` after every write queued before it; a failed write does not stop later ones. */
  private enqueue(write: () => Promise<void>): Promise<void> {
    const result = this.chain.then(write);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async writeChanges(): Promise<void> {
    this.nextWrite = undefined;
    const changes = this.tracker.take();
    const batch: JournalBatch = encodeChanges(changes, this.target!.getClockOffset());
    if (batch.stores === undefined && batch.clockOffsetMs === undefined) return;
    try {
      await this.append(batch);
    } catch (error) {
      this.tracker.restore(changes);
      throw error;
    }
    if (this.journalBytes > Math.max(MIN_COMPACTION_BYTES, this.snapshotBytes)) await this.writeSnapshot();
  }

  private async append(batch: JournalBatch): Promise<void> {
    if (!this.journal) throw new Error('the data directory is not open');
    const json = JSON.stringify(batch);
    const line = `${lineHash(json)} ${json}\n`;
    await this.journal.write(line);
    await this.journal.datasync();
    this.journalBytes += Buffer.byteLength(line);
  }

  /** The whole state as a new snapshot, then a new empty journal that continues it. */
  private async writeSnapshot(): Promise<void> {
    const target = this.target!;
    this.tracker.take();
    const generation = this.generation + 1;
    const document = encodeState(target.stores, target.getClockOffset(), generation, new Date());
    await this.stateFile.write(document);
    this.snapshotBytes = (await stat(this.statePath)).size;
    this.generation = generation;
    const header = `${JSON.stringify({ format: 'kmslite-journal', version: DATA_FORMAT_VERSION, generation })}\n`;
    await this.journal?.close();
    this.journal = undefined;
    await writeFileAtomically(this.journalPath, header);
    this.journal = await open(this.journalPath, 'a', DATA_FILE_MODE);
    this.journalBytes = Buffer.byteLength(header);
  }

  // ------------------------------------------------------------ the lock

  /**
   * One kmslite per data directory. The lock file names its holder (pid, host); it is stale when that process
   * is gone (same host) or has not refreshed the file for LOCK_STALE_MS (another host sharing the directory).
   */
  private async lock(): Promise<void> {
    if (heldLocks.has(this.lockPath)) throw new DataDirectoryError(`data directory ${this.directory} is in use by another kmslite in this process`);
    const holder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(this.lockPath, `${JSON.stringify(holder)}\n`, { flag: 'wx', mode: DATA_FILE_MODE });
        heldLocks.add(this.lockPath);
        this.heartbeat = setInterval(() => {
          const now = new Date();
          utimes(this.lockPath, now, now).catch(() => undefined);
        }, LOCK_HEARTBEAT_MS).unref();
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new DataDirectoryError(`cannot write ${this.lockPath}: ${(error as Error).message}`);
        }
      }
      const other = await this.lockHolder();
      if (other.alive) {
        throw new DataDirectoryError(
          `data directory ${this.directory} is in use by another kmslite (pid ${other.pid ?? '?'} on ${other.hostname ?? '?'}); stop it or choose another data path`,
        );
      }
      this.warn(`taking over the lock of a kmslite that is gone (pid ${other.pid ?? '?'} on ${other.hostname ?? '?'})`);
      await unlink(this.lockPath).catch(() => undefined);
    }
    throw new DataDirectoryError(`cannot take the lock ${this.lockPath}: another process keeps creating it`);
  }

  private async lockHolder(): Promise<{ alive: boolean; pid?: number; hostname?: string }> {
    let text: string;
    let modifiedMs: number;
    try {
      text = await readFile(this.lockPath, 'utf8');
      modifiedMs = (await stat(this.lockPath)).mtimeMs;
    } catch {
      return { alive: false };
    }
    let holder: { pid?: number; hostname?: string } = {};
    try {
      holder = JSON.parse(text) as typeof holder;
    } catch {
      // A lock file cut off by a crash while it was being written: its holder is gone.
      return { alive: false };
    }
    const fresh = Date.now() - modifiedMs < LOCK_STALE_MS;
    if (holder.hostname !== hostname()) return { alive: fresh, ...holder };
    // Same host: the pid says it. Our own pid means a previous run of this very process image (a container restart).
    if (typeof holder.pid !== 'number' || holder.pid === process.pid) return { alive: false, ...holder };
    return { alive: processExists(holder.pid), ...holder };
  }

  private async unlock(): Promise<void> {
    clearInterval(this.heartbeat);
    if (!heldLocks.delete(this.lockPath)) return;
    await unlink(this.lockPath).catch(() => undefined);
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** 16 hex digits of SHA-256: enough to tell a damaged line from a good one. */
function lineHash(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

function parseJournalLine(line: string, lineNumber: number): JournalBatch {
  const space = line.indexOf(' ');
  const json = space === 16 ? line.slice(17) : undefined;
  if (json === undefined || lineHash(json) !== line.slice(0, 16)) throw new DataFormatError(`${JOURNAL_FILE} line ${lineNumber} is damaged (checksum mismatch)`);
  try {
    return JSON.parse(json) as JournalBatch;
  } catch (error) {
    throw new DataFormatError(`${JOURNAL_FILE} line ${lineNumber}: ${(error as Error).message}`);
  }
}
