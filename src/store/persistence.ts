import type { StoreBundle } from './bundle.js';

/**
 * Where the state of every store lives between runs. In memory (the default) nothing is kept; with a data
 * directory (src/store/filePersistence.ts) every change is on disk before its request is answered.
 */
export interface Persistence {
  /** Puts the persisted state, if any, into the (empty) stores. Returns whether there was any. */
  load(target: RestoreTarget): Promise<boolean>;
  /** Resolves once every change marked so far (store.tracker) is on disk. */
  commit(): Promise<void>;
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

export interface PersistedAudit {
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** `timeMs`: the event's exact time (its CloudTrail eventTime has whole seconds). */
  replay(event: unknown, timeMs?: number): void;
  subscribe(listener: (event: unknown, timeMs: number) => void): void;
}

/** The default: state lives in memory only; nothing to load or write. */
export class MemoryPersistence implements Persistence {
  async load(): Promise<boolean> {
    return false;
  }

  async commit(): Promise<void> {}

  async saveAll(): Promise<void> {}

  async close(): Promise<void> {}
}
