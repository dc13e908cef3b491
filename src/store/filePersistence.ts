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
 * Every file is checked when it is read (docs/persistence.md, "What is detected"): the state file carries a
 * checksum and names the journal that continues it (its id and first sequence number); every journal line is
 * checksummed and numbered, and the journal's header records how far it was written (src/store/sequencedLog.ts).
 * A file that is unreadable, damaged, cut short, reordered, from elsewhere or from an unknown format version stops
 * start-up with a message naming the file, the line or record, and the problem, and nothing is written. The one
 * exception is a journal's last line without its newline: that write was cut off by a crash before it was
 * acknowledged, and it is dropped with a warning.
 *
 * Longer than 300 lines because loading (a version 2 directory, a version 1 one being migrated, a journal without
 * its state file), writing and the lock share this directory's paths and state, and read best side by side.
 */
import { mkdir, readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChangeTracker } from './changeTracker.js';
import { AUDIT_LOG_FILE, AuditLog } from './auditLog.js';
import type { Persistence, RestoreTarget } from './persistence.js';
import {
  DataFormatError,
  applyJournalBatch,
  checkStateDocument,
  encodeChanges,
  encodeState,
  rebuildDerivedState,
  restoreState,
  type JournalBatch,
  type JournalReference,
} from './stateCodec.js';
import { DATA_FILE_MODE, LowdbStateFile, StateFileError } from './lowdbStateFile.js';
import { SequencedLogWriter, newLogId, readSequencedLog, type LogHeader } from './sequencedLog.js';

export const STATE_FILE = 'kmslite-state.json';
export const JOURNAL_FILE = 'kmslite-journal.jsonl';
export const LOCK_FILE = 'kmslite.lock';
const JOURNAL_FORMAT = 'kmslite-journal';

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
  private journal: SequencedLogWriter | undefined;
  /** The state file's generation; 0 while there is none. */
  private generation = 0;
  /** The journal the state file names (null: none yet, or a version 1 journal). */
  private journalId: string | null = null;
  /** Until a journal is open: the sequence number of the next change (where the next journal starts). */
  private nextSequence = 1;
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
      const stateVersion = await this.readState(target);
      // Marks made while loading describe what is already on disk.
      this.tracker.take();
      // Since version 2 the audit log is written before the first state file, so a state file means an audit log.
      if (target.audit) await this.auditLog.load(target.audit, stateVersion !== undefined && stateVersion >= 2);
      return stateVersion !== undefined;
    } catch (error) {
      await this.unlock();
      if (error instanceof StateFileError || error instanceof DataDirectoryError) {
        throw new DataDirectoryError(`${error.message}. The files were left untouched; move them away to start empty, or restore a backup.`);
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

  /** A compacted audit log, then a new snapshot (in this order: a state file always has its audit log). */
  async saveAll(): Promise<void> {
    await this.auditLog.compact();
    await this.enqueue(() => this.writeSnapshot());
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

  /** Restores the state file and its journal; resolves with the state file's format version (undefined: none). */
  private async readState(target: RestoreTarget): Promise<number | undefined> {
    const read = await this.stateFile.read();
    if (read === null) {
      await this.checkJournalWithoutState();
      return undefined;
    }
    const version = (read.document as { version?: unknown } | null)?.version;
    let state;
    try {
      if (!read.sealed && version !== 1) throw new DataFormatError(`no checksum at its start (format version ${JSON.stringify(version)} files begin with {"checksum":…})`);
      state = checkStateDocument(read.document);
      restoreState(state, target.stores);
    } catch (error) {
      if (error instanceof DataFormatError) throw new StateFileError(`${this.statePath}: ${error.message}`);
      // A record that is not what kmslite writes can fail in any way once past its checks: that is damage too.
      throw new StateFileError(`${this.statePath}: unreadable record (${(error as Error).message})`);
    }
    this.generation = state.generation;
    this.journalId = state.journal.id;
    this.nextSequence = state.journal.firstSequence;
    target.setClockOffset(state.clockOffsetMs);
    if (version === 1) await this.replayVersion1Journal(target);
    else await this.replayJournal(target, state.journal);
    rebuildDerivedState(target.stores);
    return version as number;
  }

  /**
   * With no state file, a journal may only be the one a first start writes before its first state file (a crash
   * came between): generation 1, no changes. Anything else means the state file is gone.
   */
  private async checkJournalWithoutState(): Promise<void> {
    try {
      await readSequencedLog(
        this.journalPath,
        JOURNAL_FORMAT,
        'change',
        (header) => {
          if (header.generation !== 1) throw new Error(`generation ${String(header.generation)} continues a state file, but ${this.statePath} is missing`);
        },
        (_record, lineNumber) => {
          throw new DataFormatError(`a change (line ${lineNumber}) without its state file: ${this.statePath} is missing`);
        },
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
  }

  private async replayJournal(target: RestoreTarget, journal: JournalReference): Promise<void> {
    const expected = `${journal.id ?? '?'} (generation ${this.generation}, from change ${journal.firstSequence})`;
    let older = false;
    let contents;
    try {
      contents = await readSequencedLog(
        this.journalPath,
        JOURNAL_FORMAT,
        'change',
        (header, version) => {
          // A crash between writing this state file and its new journal left the journal it folded in.
          if (version === 1) {
            older = journal.previousId === null && header.generation === this.generation - 1;
            if (!older) throw new Error(`a format version 1 journal of generation ${String(header.generation)}, but the state file ${this.statePath} expects journal ${expected}`);
            return;
          }
          const { id, generation, firstSequence } = header as LogHeader;
          if (id === journal.previousId && generation === this.generation - 1) {
            older = true;
            return;
          }
          if (id !== journal.id || generation !== this.generation) {
            throw new Error(`journal ${id} (generation ${String(generation)}) is not the one the state file ${this.statePath} names: ${expected}; it belongs to another state file`);
          }
          if (firstSequence !== journal.firstSequence) throw new Error(`starts at change ${firstSequence}, but the state file ${this.statePath} continues at change ${journal.firstSequence}`);
        },
        (record) => {
          // The journal a crash left behind: its changes are in the state file already.
          if (!older) applyJournalBatch(record as JournalBatch, target.stores, (offsetMs) => target.setClockOffset(offsetMs));
        },
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new StateFileError(`${this.journalPath} is missing: the state file ${this.statePath} is continued by journal ${expected}, and its changes would be lost`);
      }
      throw error;
    }
    if (older && contents.version >= 2 && contents.lastSequence !== journal.firstSequence - 1) {
      throw new StateFileError(`${this.journalPath}: the journal the state file folded in ends at change ${contents.lastSequence}, but the state file ${this.statePath} continues at change ${journal.firstSequence}`);
    }
    if (!older) this.nextSequence = contents.lastSequence + 1;
    if (contents.tornBytes > 0) this.warnTorn(contents.tornBytes);
  }

  /** A version 1 journal (a directory written by version 1, being migrated): version 1's checks and rules. */
  private async replayVersion1Journal(target: RestoreTarget): Promise<void> {
    let older = false;
    try {
      const contents = await readSequencedLog(
        this.journalPath,
        JOURNAL_FORMAT,
        'change',
        (header, version) => {
          if (version !== 1) throw new Error(`format version ${version}, but the state file ${this.statePath} is version 1`);
          const { generation } = header;
          // An older journal: the snapshot was rewritten and the crash came before the new journal replaced this one.
          older = typeof generation === 'number' && generation < this.generation;
          if (!older && generation !== this.generation) throw new Error(`continues generation ${String(generation)}, the state file ${this.statePath} is generation ${this.generation}`);
        },
        (record) => {
          if (!older) applyJournalBatch(record as JournalBatch, target.stores, (offsetMs) => target.setClockOffset(offsetMs));
        },
      );
      if (contents.tornBytes > 0) this.warnTorn(contents.tornBytes);
    } catch (error) {
      // Version 1 wrote its first state file before its first journal: a missing journal lost nothing.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
  }

  private warnTorn(bytes: number): void {
    this.warn(`${this.journalPath}: dropped an incomplete last line (${bytes} bytes) left by a crash; it was never acknowledged`);
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
      if (!this.journal) throw new Error('the data directory is not open');
      await this.journal.append((sequence) => JSON.stringify({ sequence, ...batch }));
    } catch (error) {
      this.tracker.restore(changes);
      throw error;
    }
    if (this.journal.bytes > Math.max(MIN_COMPACTION_BYTES, this.snapshotBytes)) await this.writeSnapshot();
  }

  /**
   * The whole state as a new snapshot, then a new empty journal that continues it. The state file names the new
   * journal (id, first sequence number) and the one it replaces, so a crash between the two renames leaves a
   * directory that is still read exactly. The very first time, the journal is written first: a state file is
   * then never without its journal, and a missing journal is damage.
   */
  private async writeSnapshot(): Promise<void> {
    const target = this.target!;
    this.tracker.take();
    const generation = this.generation + 1;
    const firstSequence = this.journal ? this.journal.written + 1 : this.nextSequence;
    const reference: JournalReference = { id: newLogId(), firstSequence, previousId: this.journalId };
    const document = encodeState(target.stores, target.getClockOffset(), generation, new Date(), reference);
    const writeJournal = async () => {
      await this.journal?.close();
      this.journal = undefined;
      this.journal = await SequencedLogWriter.create(this.journalPath, { format: JOURNAL_FORMAT, id: reference.id!, firstSequence: reference.firstSequence, generation });
    };
    if (this.generation === 0) await writeJournal();
    await this.stateFile.write(document);
    this.snapshotBytes = (await stat(this.statePath)).size;
    if (this.generation !== 0) await writeJournal();
    this.generation = generation;
    this.journalId = reference.id;
    this.nextSequence = firstSequence;
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
