// The append-only journal: one framed record per ledger change ([u32 length][u32 crc32][payload], little endian).
// Appends are synchronous writes in execution order; durability is group-committed: one fdatasync covers every
// record written before it started, so concurrent senders share the cost. A torn tail (a crash mid-write) fails its
// length or checksum and is cut off on open.
import { closeSync, fdatasync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

const HEADER = 8;
const SCAN_CHUNK = 4 << 20;

/** Where a record's payload sits in the journal file. */
export interface JournalLocation {
  offset: number;
  length: number;
}

interface SyncWaiter {
  target: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** An append-only, crash-safe record file. */
export class Journal {
  #size: number;
  #durable: number;
  #syncing = false;
  #failed: Error | undefined;
  #waiters: SyncWaiter[] = [];

  private constructor(
    private readonly fd: number,
    size: number,
  ) {
    this.#size = size;
    this.#durable = size;
  }

  /**
   * Opens (or creates) the journal at `path`, calling `onRecord` for every intact record in order, and cuts off a
   * torn tail. Returns the journal and how many bytes were cut.
   */
  static open(
    path: string,
    onRecord: (payload: Buffer, at: JournalLocation) => void,
  ): { journal: Journal; cut: number } {
    const fd = openSync(path, 'a+', 0o600);
    const fileSize = fstatSync(fd).size;
    let good = 0;
    let buffer = Buffer.alloc(0);
    let bufferStart = 0;
    for (;;) {
      const at = good - bufferStart;
      const available = buffer.length - at;
      const length = available >= HEADER ? buffer.readUInt32LE(at) : undefined;
      if (length !== undefined && good + HEADER + length > fileSize) break;
      if (length !== undefined && available >= HEADER + length) {
        const payload = buffer.subarray(at + HEADER, at + HEADER + length);
        if (crc32(payload) !== buffer.readUInt32LE(at + 4)) break;
        onRecord(payload, { offset: good + HEADER, length });
        good += HEADER + length;
        continue;
      }
      if (bufferStart + buffer.length >= fileSize) break;
      // Keep the unread part and read on after it, growing for records larger than a chunk.
      const rest = buffer.subarray(at);
      const chunk = Buffer.alloc(Math.max(SCAN_CHUNK, HEADER + (length ?? 0)));
      rest.copy(chunk);
      const read = readSync(fd, chunk, rest.length, chunk.length - rest.length, bufferStart + buffer.length);
      bufferStart = good;
      buffer = chunk.subarray(0, rest.length + read);
      if (read === 0) break;
    }
    if (good < fileSize) ftruncateSync(fd, good);
    // Records a killed process wrote may still be only in the page cache: make them durable before relying on them.
    fsyncSync(fd);
    return { journal: new Journal(fd, good), cut: fileSize - good };
  }

  /** Appends one record (written, not yet durable: see `durable`). */
  append(payload: Buffer): JournalLocation {
    if (this.#failed) throw this.#failed;
    const frame = Buffer.allocUnsafe(HEADER + payload.length);
    frame.writeUInt32LE(payload.length, 0);
    frame.writeUInt32LE(crc32(payload), 4);
    payload.copy(frame, HEADER);
    let written = 0;
    while (written < frame.length) written += writeSync(this.fd, frame, written);
    const location = { offset: this.#size + HEADER, length: payload.length };
    this.#size += frame.length;
    return location;
  }

  /** Whether some appended record is not yet durable. */
  get pending(): boolean {
    return this.#durable < this.#size;
  }

  /** Resolves once every record appended so far is on disk (fdatasync'd). */
  durable(): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (this.#durable >= this.#size) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ target: this.#size, resolve, reject });
      this.#pump();
    });
  }

  /** Reads a record's payload back. */
  read(at: JournalLocation): Buffer {
    const payload = Buffer.allocUnsafe(at.length);
    let read = 0;
    while (read < at.length) {
      const n = readSync(this.fd, payload, read, at.length - read, at.offset + read);
      if (n === 0) throw new Error(`journal record at ${at.offset} is cut short`);
      read += n;
    }
    return payload;
  }

  /** Closes the file; call after `durable()` settled. */
  close(): void {
    closeSync(this.fd);
  }

  #pump(): void {
    if (this.#syncing || this.#waiters.length === 0) return;
    this.#syncing = true;
    const target = this.#size;
    fdatasync(this.fd, (error) => {
      this.#syncing = false;
      if (error) {
        // A failed fsync leaves the page cache in an unknown state: refuse all further writes.
        this.#failed = error;
        for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
        return;
      }
      this.#durable = target;
      const waiting = this.#waiters;
      this.#waiters = waiting.filter((waiter) => waiter.target > target);
      for (const waiter of waiting) if (waiter.target <= target) waiter.resolve();
      this.#pump();
    });
  }
}
