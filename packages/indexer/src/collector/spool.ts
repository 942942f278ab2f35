// The collector's on-disk spool: an event counts as received only once it is fsynced here.
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSpoolLine, encodeSpoolLine, type SpooledEvent } from './spool-codec.js';

/** A place in the spool: a segment number and a byte offset in it. */
export interface SpoolPosition {
  segment: number;
  offset: number;
}

/** A batch read from the spool, and where the next read starts. */
export interface SpoolBatch {
  events: SpooledEvent[];
  next: SpoolPosition;
  /** Lines that could not be decoded (skipped, counted). */
  damaged: number;
}

interface PendingAppend {
  text: string;
  count: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

const SEGMENT = /^(\d{10})\.spool$/;
const segmentName = (n: number) => `${String(n).padStart(10, '0')}.spool`;
const READ_BYTES = 1 << 20;

/**
 * Append-only segment files plus a checkpoint of what has been flushed to the database. Appends are group-committed:
 * whatever arrives while one write + fdatasync is in flight goes out in the next, so fsync cost is shared by batch.
 * Reads never go past what is durable; a torn tail after a crash is an unfinished line, cut off on open.
 */
export class Spool {
  private pending: PendingAppend[] = [];
  private writing = false;
  private readers = new Map<number, FileHandle>();

  private constructor(
    private readonly dir: string,
    private readonly maxSegmentBytes: number,
    private segments: number[],
    private file: FileHandle,
    private size: number,
    private checkpointAt: SpoolPosition,
    private backlogCount: number,
  ) {}

  /** Opens (or creates) the spool in `dir`, recovering from a crash: the torn tail is cut, the checkpoint read. */
  static async open(dir: string, options: { maxSegmentBytes?: number } = {}): Promise<Spool> {
    await mkdir(dir, { recursive: true });
    const segments = (await readdir(dir))
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    if (segments.length === 0) segments.push(1);
    const last = segments[segments.length - 1] as number;
    const file = await open(join(dir, segmentName(last)), constants.O_RDWR | constants.O_CREAT);
    const content = await file.readFile();
    const size = content.lastIndexOf(0x0a) + 1;
    if (size < content.length) await file.truncate(size);
    const checkpoint = await readCheckpoint(dir, segments[0] as number);
    const spool = new Spool(dir, options.maxSegmentBytes ?? 64 << 20, segments, file, size, checkpoint, 0);
    spool.backlogCount = await spool.countFrom(checkpoint);
    return spool;
  }

  /** Where the next flush starts: everything before it is in the database. */
  get checkpoint(): SpoolPosition {
    return { ...this.checkpointAt };
  }

  /** Events appended (or being appended) but not yet committed as flushed. */
  get backlog(): number {
    return this.backlogCount;
  }

  /** Appends events; resolves once they are on disk (fsynced), which is when they count as received. */
  append(events: readonly SpooledEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    this.backlogCount += events.length;
    return new Promise((resolve, reject) => {
      this.pending.push({ text: events.map(encodeSpoolLine).join(''), count: events.length, resolve, reject });
      void this.writePending();
    });
  }

  private async writePending() {
    if (this.writing) return;
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      const bytes = Buffer.from(batch.map((p) => p.text).join(''));
      try {
        if (this.size > 0 && this.size + bytes.length > this.maxSegmentBytes) await this.rotate();
        await this.file.write(bytes, 0, bytes.length, this.size);
        await this.file.datasync();
        this.size += bytes.length;
        for (const p of batch) p.resolve();
      } catch (error) {
        // Nothing of this batch counts: cut the file back so a retry starts at a line boundary.
        await this.file.truncate(this.size).catch(() => undefined);
        for (const p of batch) {
          this.backlogCount -= p.count;
          p.reject(error as Error);
        }
      }
    }
    this.writing = false;
  }

  private async rotate() {
    const next = (this.segments[this.segments.length - 1] as number) + 1;
    const file = await open(join(this.dir, segmentName(next)), constants.O_RDWR | constants.O_CREAT | constants.O_EXCL);
    await syncDir(this.dir);
    await this.file.close();
    this.file = file;
    this.size = 0;
    this.segments.push(next);
  }

  /** Reads up to `maxEvents` durable events from `from`. */
  async read(from: SpoolPosition, maxEvents: number): Promise<SpoolBatch> {
    const events: SpooledEvent[] = [];
    let damaged = 0;
    let at = { ...from };
    while (events.length < maxEvents) {
      const current = at.segment === this.segments[this.segments.length - 1];
      const end = current ? this.size : (await stat(join(this.dir, segmentName(at.segment)))).size;
      if (at.offset >= end) {
        const later = this.segments.find((s) => s > at.segment);
        if (current || later === undefined) break;
        at = { segment: later, offset: 0 };
        continue;
      }
      const buffer = Buffer.alloc(Math.min(READ_BYTES, end - at.offset));
      await (await this.reader(at.segment)).read(buffer, 0, buffer.length, at.offset);
      let start = 0;
      for (let nl = buffer.indexOf(0x0a); nl >= 0 && events.length < maxEvents; nl = buffer.indexOf(0x0a, start)) {
        const decoded = decodeSpoolLine(buffer.toString('latin1', start, nl));
        if (decoded) events.push(decoded);
        else damaged++;
        start = nl + 1;
      }
      if (start === 0) break; // a line longer than a read: cannot happen for our own lines
      at = { segment: at.segment, offset: at.offset + start };
    }
    return { events, next: at, damaged };
  }

  /** Records that everything before `next` is in the database, and deletes segments wholly before it. */
  async commit(next: SpoolPosition, flushedCount: number): Promise<void> {
    const file = join(this.dir, 'checkpoint.json');
    await writeFile(`${file}.tmp`, JSON.stringify(next), { flush: true });
    await rename(`${file}.tmp`, file);
    await syncDir(this.dir);
    this.checkpointAt = { ...next };
    this.backlogCount -= flushedCount;
    for (const segment of this.segments.filter((s) => s < next.segment)) {
      await this.readers.get(segment)?.close();
      this.readers.delete(segment);
      await rm(join(this.dir, segmentName(segment)), { force: true });
    }
    this.segments = this.segments.filter((s) => s >= next.segment);
  }

  /** Waits for appends in flight, then closes every file. */
  async close(): Promise<void> {
    while (this.writing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
    for (const reader of this.readers.values()) await reader.close();
    this.readers.clear();
    await this.file.close();
  }

  private async reader(segment: number): Promise<FileHandle> {
    let handle = this.readers.get(segment);
    if (!handle) {
      handle = await open(join(this.dir, segmentName(segment)), 'r');
      this.readers.set(segment, handle);
    }
    return handle;
  }

  private async countFrom(from: SpoolPosition): Promise<number> {
    let count = 0;
    let at = from;
    for (;;) {
      const batch = await this.read(at, 100_000);
      count += batch.events.length + batch.damaged;
      if (batch.events.length + batch.damaged === 0) return count;
      at = batch.next;
    }
  }
}

async function readCheckpoint(dir: string, firstSegment: number): Promise<SpoolPosition> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8')) as SpoolPosition;
    if (Number.isSafeInteger(parsed.segment) && Number.isSafeInteger(parsed.offset)) return parsed;
  } catch {
    // No checkpoint yet (or a damaged one): start from the oldest segment; the database drops what it already has.
  }
  return { segment: firstSegment, offset: 0 };
}

async function syncDir(dir: string) {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
