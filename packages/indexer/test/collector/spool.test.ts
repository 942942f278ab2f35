import { appendFile, mkdtemp, readdir, readFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../src/collector/spool.js';
import { decodeSpoolLine, encodeSpoolLine } from '../../src/collector/spool-codec.js';
import { messageEvent } from './events.js';

const dir = () => mkdtemp(join(tmpdir(), 'ao-spool-'));
const spooled = (n: number, t0 = 1_700_000_000_000) =>
  Array.from({ length: n }, (_, i) => ({ event: messageEvent(t0 + i), watermark: t0 + i }));

describe('spool', () => {
  it('encodes and decodes every field, nulls included', () => {
    const line = {
      event: { ...messageEvent(5), login: null, userId: null, targetId: 'x', bits: 7, count: 3 },
      watermark: 9,
    };
    expect(decodeSpoolLine(encodeSpoolLine(line).slice(0, -1))).toEqual(line);
    expect(decodeSpoolLine('garbage')).toBeNull();
    expect(decodeSpoolLine(encodeSpoolLine(line).replace('message', 'bogus').slice(0, -1))).toBeNull();
  });

  it('reads back what was appended, in order, and resumes from its checkpoint after reopening', async () => {
    const path = await dir();
    const spool = await Spool.open(path);
    const events = spooled(250);
    await Promise.all([spool.append(events.slice(0, 100)), spool.append(events.slice(100, 250))]);
    expect(spool.backlog).toBe(250);
    const first = await spool.read(spool.checkpoint, 120);
    expect(first.events).toEqual(events.slice(0, 120));
    await spool.commit(first.next, 120);
    await spool.close();

    const reopened = await Spool.open(path);
    expect(reopened.backlog).toBe(130);
    const rest = await reopened.read(reopened.checkpoint, 1000);
    expect(rest.events).toEqual(events.slice(120));
    await reopened.close();
  });

  it('cuts a torn tail left by a crash and counts damaged lines instead of failing', async () => {
    const path = await dir();
    const spool = await Spool.open(path);
    await spool.append(spooled(3));
    await spool.close();
    const [segment] = await readdir(path);
    const file = join(path, segment as string);
    await appendFile(file, 'not a line\n1\t2\tpartial-write-without-newl');
    const reopened = await Spool.open(path);
    expect((await readFile(file, 'latin1')).endsWith('\n')).toBe(true);
    const batch = await reopened.read(reopened.checkpoint, 10);
    expect(batch.events).toHaveLength(3);
    expect(batch.damaged).toBe(1);
    await reopened.close();
  });

  it('rotates segments and deletes the ones wholly flushed', async () => {
    const path = await dir();
    const spool = await Spool.open(path, { maxSegmentBytes: 2000 });
    const events = spooled(100);
    for (let i = 0; i < 100; i += 10) await spool.append(events.slice(i, i + 10));
    expect((await readdir(path)).filter((f) => f.endsWith('.spool')).length).toBeGreaterThan(3);
    let at = spool.checkpoint;
    const read: typeof events = [];
    for (;;) {
      const batch = await spool.read(at, 7);
      if (batch.events.length === 0) break;
      read.push(...batch.events);
      await spool.commit(batch.next, batch.events.length);
      at = batch.next;
    }
    expect(read).toEqual(events);
    expect(spool.backlog).toBe(0);
    expect((await readdir(path)).filter((f) => f.endsWith('.spool'))).toHaveLength(1);
    await spool.close();
  });

  it('keeps a half-written segment readable up to its last full line', async () => {
    const path = await dir();
    const spool = await Spool.open(path);
    await spool.append(spooled(2));
    await spool.close();
    const [segment] = await readdir(path);
    const file = join(path, segment as string);
    const size = (await readFile(file)).length;
    await truncate(file, size - 5);
    const reopened = await Spool.open(path);
    expect((await reopened.read(reopened.checkpoint, 10)).events).toHaveLength(1);
    await reopened.close();
  });
});
