/**
 * The state snapshot file (kmslite-state.json), kept as a lowdb document. The only file that imports lowdb.
 *
 * lowdb's own JSONFile adapter writes through steno (temp file + rename) but cannot set the file mode nor sync
 * it to disk, so this adapter does the same atomic dance itself: write a temp file created 0600, fsync it,
 * rename it over the old file, fsync the directory. A reader sees the old file or the new one, never half of one.
 */
import { Low, type Adapter } from 'lowdb';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StateDocument } from './stateCodec.js';

/** Key material is in this file: readable by its owner only, as in AWS, where it never leaves the HSMs. */
export const DATA_FILE_MODE = 0o600;

export class StateFileError extends Error {}

/** Text ⇄ document: JSON.parse errors and unreadable files become StateFileError with the cause. */
class PrivateJsonFile implements Adapter<unknown> {
  constructor(private readonly path: string) {}

  async read(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StateFileError(`cannot read ${this.path}: ${(error as Error).message}`);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new StateFileError(`${this.path} is not valid JSON (${(error as Error).message})`);
    }
  }

  async write(data: unknown): Promise<void> {
    await writeFileAtomically(this.path, JSON.stringify(data));
  }
}

export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  const file = await open(temporary, 'w', DATA_FILE_MODE);
  try {
    await file.writeFile(text, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

export class LowdbStateFile {
  private readonly db: Low<unknown>;

  constructor(readonly path: string) {
    this.db = new Low<unknown>(new PrivateJsonFile(path), null);
  }

  /** The document on disk (not yet checked), or null when there is no file. */
  async read(): Promise<unknown> {
    await this.db.read();
    return this.db.data;
  }

  async write(document: StateDocument): Promise<void> {
    this.db.data = document;
    await this.db.write();
    // The document can be large (every key); it is not needed between writes.
    this.db.data = null;
  }
}
