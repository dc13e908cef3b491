/**
 * Appends audit events to a file as JSON lines, in batches, off the request path: a request only pushes
 * its record onto an array; the lines are shaped and written on a later turn of the event loop, one
 * write per batch, one write at a time. The file is created with mode 0600 (and an existing file is set
 * to 0600): events name keys, accounts and encryption contexts.
 */
import { closeSync, fchmodSync, openSync, write } from 'node:fs';
import { toCloudTrail, type AuditRecord } from './events.js';

/** Records waiting beyond this are dropped (and reported once): a stuck disk must not exhaust memory. */
const MAX_PENDING = 100_000;

export class JsonlSink {
  private readonly fd: number;
  private pending: AuditRecord[] = [];
  private draining: Promise<void> | null = null;
  private dropped = 0;
  private closed = false;

  /** Opens (creates) the file now, so a path that cannot be written stops start-up with a clear error. */
  constructor(
    readonly path: string,
    private readonly onError: (error: Error) => void,
  ) {
    try {
      this.fd = openSync(path, 'a', 0o600);
      fchmodSync(this.fd, 0o600);
    } catch (error) {
      throw new Error(`cannot open the audit file ${path}: ${(error as Error).message}`);
    }
  }

  push(record: AuditRecord): void {
    if (this.closed) return;
    if (this.pending.length >= MAX_PENDING) {
      if (this.dropped++ === 0) this.onError(new Error(`audit file ${this.path}: writes are not keeping up; events are being dropped`));
      return;
    }
    this.pending.push(record);
    this.kick();
  }

  /** Resolves when every event pushed so far is written. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.draining = null;
        if (this.pending.length > 0 && !this.closed) this.kick();
      });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      let text = '';
      for (const record of batch) text += JSON.stringify(toCloudTrail(record)) + '\n';
      try {
        await writeAll(this.fd, Buffer.from(text, 'utf8'));
      } catch (error) {
        this.onError(new Error(`audit file ${this.path}: ${(error as Error).message}`));
      }
    }
  }
}

function writeAll(fd: number, buffer: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (offset: number) => {
      write(fd, buffer, offset, buffer.length - offset, null, (error, written) => {
        if (error) return reject(error);
        if (offset + written < buffer.length) return next(offset + written);
        resolve();
      });
    };
    next(0);
  });
}
