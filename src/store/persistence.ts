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

/** One line of the audit log (src/store/auditLog.ts): a key's last use, or an event with its exact time. */
export type AuditLogEntry = { lastUse: PersistedLastUse } | { timeMs: number; event: unknown };

export interface PersistedAudit {
  /**
   * Every key's last use, then the events in memory (oldest first), as they are at the moment of the call;
   * each is converted to its persisted form only when the iteration reaches it.
   */
  checkpoint(): Iterable<AuditLogEntry>;
  restoreLastUse(use: PersistedLastUse): void;
  /** `timeMs`: the event's exact time (its CloudTrail eventTime has whole seconds). */
  replay(event: unknown, timeMs: number): void;
  subscribe(listener: (event: unknown, timeMs: number) => void): void;
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
