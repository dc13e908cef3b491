import type { StoreBundle } from './bundle.js';

/**
 * Where the state of every store lives between runs. In memory (the default) nothing is kept; with a data
 * directory (src/store/filePersistence.ts) every change is on disk before its request is answered.
 */
export interface Persistence {
  /** Puts the persisted state, if any, into the (empty) stores. Returns whether there was any. */
  load(target: RestoreTarget): Promise<boolean>;
  /** Resolves once every change marked so far (store.tracker) is on disk. Requests that changed state wait for it. */
  commit(): Promise<void>;
  /** Resolves once every change and every audit event so far is on disk (nobody on the request path waits for audit events). */
  flush(): Promise<void>;
  /** Writes the whole state now (after a reset, and at a clean stop). */
  saveAll(): Promise<void>;
  /** Writes what is pending and lets go of the data directory. */
  close(): Promise<void>;
}

/** What a persistence layer restores into and reads from. */
export interface RestoreTarget {
  stores: StoreBundle;
  getClockOffset(): number;
  setClockOffset(offsetMs: number): void;
  /** The audit trail, when it keeps records worth persisting. */
  audit?: PersistedAudit;
}

/** A key's last successful cryptographic use, as GetKeyLastUsage reports it. */
export interface PersistedLastUse {
  arn: string;
  operation: string;
  timeMs: number;
  requestId: string;
  eventId: string;
}

/**
 * One entry of the audit log (src/store/auditLog.ts): a key's last use, or an event in the trail's own record form
 * (opaque here: the trail writes it and reads it back).
 */
export type AuditLogEntry = { lastUse: PersistedLastUse } | { event: unknown };

export interface PersistedAudit {
  /** Every key's last use, then the events in memory (oldest first), as they are at the moment of the call. */
  checkpoint(): Iterable<AuditLogEntry>;
  /** Puts one entry read back from the log into the trail; throws an Error saying what is wrong with a bad one. */
  restoreEntry(entry: AuditLogEntry): void;
  /** `listener` receives every new event, synchronously, as a log entry (replayed ones are not announced). */
  onNewEntry(listener: (entry: AuditLogEntry) => void): void;
}

/** The default: state lives in memory only; nothing to load or write. */
export class MemoryPersistence implements Persistence {
  async load(): Promise<boolean> {
    return false;
  }

  async commit(): Promise<void> {}

  async flush(): Promise<void> {}

  async saveAll(): Promise<void> {}

  async close(): Promise<void> {}
}
