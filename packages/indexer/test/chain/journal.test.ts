// The journal's framing: records come back in order, a torn tail is cut, and a group of appends shares one fsync.
import { appendFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/chain/journal.js';
import { must, removeTempDirs, tempDir } from './helpers.js';

const reopen = (path: string) => {
  const records: string[] = [];
  const { journal, cut } = Journal.open(path, (payload) => records.push(payload.toString()));
  return { journal, cut, records };
};

describe('the ledger journal', () => {
  afterEach(() => removeTempDirs());

  it('reads back what was appended, across chunk boundaries', async () => {
    const path = join(tempDir(), 'journal.log');
    const { journal } = reopen(path);
    const big = 'x'.repeat(5 << 20);
    const expected = ['a', big, ...Array.from({ length: 1000 }, (_, i) => `record ${i}`)];
    const locations = expected.map((text) => journal.append(Buffer.from(text)));
    await Promise.all(expected.map(() => journal.durable()));
    expect(journal.pending).toBe(false);
    expect(journal.read(must(locations[2])).toString()).toBe('record 0');
    journal.close();
    const again = reopen(path);
    expect(again.cut).toBe(0);
    expect(again.records).toEqual(expected);
    again.journal.close();
  });

  it('cuts a torn tail: a half-written record or a bad checksum', async () => {
    const path = join(tempDir(), 'journal.log');
    const { journal } = reopen(path);
    journal.append(Buffer.from('one'));
    journal.append(Buffer.from('two'));
    await journal.durable();
    journal.close();
    const intact = statSync(path).size;
    const frame = Buffer.alloc(8 + 10);
    frame.writeUInt32LE(10, 0);
    appendFileSync(path, frame.subarray(0, 12));
    let again = reopen(path);
    expect(again.records).toEqual(['one', 'two']);
    expect(again.cut).toBe(12);
    expect(statSync(path).size).toBe(intact);
    again.journal.append(Buffer.from('three'));
    await again.journal.durable();
    again.journal.close();
    appendFileSync(path, frame);
    again = reopen(path);
    expect(again.records).toEqual(['one', 'two', 'three']);
    expect(again.cut).toBe(frame.length);
    again.journal.close();
    truncateSync(path, intact - 1);
    again = reopen(path);
    expect(again.records).toEqual(['one']);
    again.journal.close();
  });
});
