import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/chat/event.js';
import { LINE_TOO_LONG, parseReplayLine, readLines } from '../../src/chat/replay-file.js';
import { ReplayChatSource, type ReplayChatSourceOptions } from '../../src/chat/replay-source.js';
import { waitFor } from '../wait-for.js';
import { clearmsg, privmsg, usernotice } from './irc-lines.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'replay-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const T0 = 1_700_000_000_000;
const room = { channel: 'dallas', roomId: '1001' };
const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const sourceId = ids[3] as string;

/** A recording: 4 messages 100 ms apart (the last mirrored into a partner room), a deletion, and some noise. */
const RECORDING = [
  '# recorded from #dallas',
  '',
  `${T0}\t${privmsg({ ...room, login: 'ronni', userId: '11', id: ids[0], sentAt: T0 })}`,
  `${T0 + 100}\t${privmsg({ ...room, login: 'tww2', userId: '12', id: ids[1], sentAt: T0 + 100, bits: 50 })}`,
  'not-a-timestamp\t@id=x PRIVMSG #dallas :x',
  `${T0 + 150}\t:no-command-after-this-prefix`,
  `${T0 + 200}\t${usernotice({ ...room, login: 'gifter', userId: '13', id: ids[2], sentAt: T0 + 200, msgId: 'submysterygift', params: { 'mass-gift-count': 2 } })}`,
  `${T0 + 300}\t${privmsg({ ...room, login: 'ronni', userId: '11', id: sourceId, sentAt: T0 + 300, tags: { 'source-room-id': '1001', 'source-id': sourceId } })}`,
  `${T0 + 300}\t${privmsg({ channel: 'partner', roomId: '2002', login: 'ronni', userId: '11', sentAt: T0 + 300, tags: { 'source-room-id': '1001', 'source-id': sourceId } })}`,
  `${T0 + 400}\t${clearmsg({ ...room, login: 'ronni', targetId: ids[0] as string, sentAt: T0 + 400 })}`,
  `${T0 + 500}\tPING :tmi.twitch.tv`,
].join('\n');

async function recording(name: string, text = RECORDING): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function play(options: Omit<ReplayChatSourceOptions, 'file'> & { file: string }) {
  const batches: ChatEvent[][] = [];
  const source = new ReplayChatSource(options);
  await source.start((batch) => {
    batches.push(batch);
  });
  return { source, batches, events: () => batches.flat() };
}

describe('replay file', () => {
  it('parses timed lines, skips blanks and comments, flags bad timestamps', () => {
    expect(parseReplayLine(`${T0}\tPING :x`)).toEqual({ at: T0, raw: 'PING :x' });
    expect(parseReplayLine('')).toBe('skip');
    expect(parseReplayLine('   # note')).toBe('skip');
    for (const bad of ['PING :x', '12.5\tPING', '-1\tPING', `${T0}\t`, `${T0} PING`, '99999999999999999\tPING']) {
      expect(parseReplayLine(bad), bad).toBe('malformed');
    }
  });

  it('streams lines and replaces an over-long line without buffering it', async () => {
    const file = await recording('long.txt', `a\r\n${'x'.repeat(5000)}\nb\n${'y'.repeat(100)}`);
    const lines = [];
    for await (const line of readLines(file, new AbortController().signal, 1000)) lines.push(line);
    expect(lines).toEqual(['a', LINE_TOO_LONG, 'b', 'y'.repeat(100)]);
  });
});

describe('ReplayChatSource', () => {
  it('backfills with the original times and ids, in batches', async () => {
    const { source, batches, events } = await play({
      file: await recording('backfill.txt'),
      mode: 'backfill',
      batchSize: 2,
    });
    await source.done();
    expect(events().map((e) => [e.kind, e.id, e.sentAt])).toEqual([
      ['message', ids[0], T0],
      ['message', ids[1], T0 + 100],
      ['submysterygift', ids[2], T0 + 200],
      ['message', sourceId, T0 + 300],
      ['clearmsg', expect.any(String), T0 + 400],
    ]);
    expect(events()[1]?.bits).toBe(50);
    expect(events()[4]?.targetId).toBe(ids[0]);
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(source.stats()).toMatchObject({ lines: 9, malformedLines: 2, events: 5, pendingEvents: 0, connections: 0 });
    expect(source.stats().skips).toMatchObject({ 'mirror-duplicate': 1, 'ignored-command': 1 });
  });

  it('plays a demo from now with the spacing scaled and fresh ids', async () => {
    const startedAt = Date.now();
    const { source, events } = await play({ file: await recording('demo.txt'), mode: 'demo', speed: 4 });
    await source.done();
    const played = events();
    expect(played.map((e) => e.kind)).toEqual(['message', 'message', 'submysterygift', 'message', 'clearmsg']);
    const first = played[0]?.sentAt ?? 0;
    expect(first).toBeGreaterThanOrEqual(startedAt);
    // Recorded 0, 100, 200, 300, 400 ms apart; at speed 4 that is 25 ms apart (give or take rounding).
    for (const [i, event] of played.entries()) expect(Math.abs(event.sentAt - first - i * 25)).toBeLessThanOrEqual(1);
    for (const event of played) expect(ids).not.toContain(event.id);
    expect(new Set(played.map((e) => e.id)).size).toBe(5);
    // The deletion follows its message to the new id; the partner room's copy still collapses.
    expect(played[4]?.targetId).toBe(played[0]?.id);
    expect(source.stats().skips['mirror-duplicate']).toBe(1);
  });

  it('loops a demo with new ids on every pass until stopped', async () => {
    const { source, events } = await play({ file: await recording('loop.txt'), mode: 'demo', speed: 20, loop: true });
    await waitFor(() => events().length >= 15, 'three passes');
    await source.stop();
    await source.done();
    const played = events();
    expect(new Set(played.map((e) => e.id)).size).toBe(played.length);
    expect(played.filter((e) => e.kind === 'submysterygift').length).toBeGreaterThanOrEqual(3);
  });

  it('stops a long demo promptly and cleanly', async () => {
    const slow = [
      `${T0}\t${privmsg({ ...room, login: 'a', userId: '1' })}`,
      `${T0 + 3_600_000}\t${privmsg({ ...room, login: 'b', userId: '2' })}`,
    ];
    const { source, events } = await play({ file: await recording('slow.txt', slow.join('\n')), mode: 'demo' });
    await waitFor(() => events().length === 1, 'the first line');
    await source.stop();
    await expect(source.done()).resolves.toBeUndefined();
    expect(events()).toHaveLength(1);
  });

  it('stops a backfill between batches: no sink call once stop() resolved', async () => {
    const lines = Array.from(
      { length: 5000 },
      (_, n) => `${T0 + n}\t${privmsg({ ...room, login: 'a', userId: '1', sentAt: T0 + n })}`,
    );
    const source = new ReplayChatSource({
      file: await recording('big.txt', lines.join('\n')),
      mode: 'backfill',
      batchSize: 10,
    });
    let calls = 0;
    let delivered = 0;
    let stopped = false;
    await source.start(async (batch) => {
      expect(stopped).toBe(false);
      calls++;
      delivered += batch.length;
      await new Promise((resolve) => setImmediate(resolve));
    });
    await waitFor(() => calls >= 3, 'a few batches');
    await source.stop();
    stopped = true;
    await source.done();
    expect(source.stats().events).toBeLessThan(5000);
    expect(source.stats().events).toBe(delivered);
  });

  it('reports a failing sink through done() and counts what it dropped', async () => {
    const source = new ReplayChatSource({ file: await recording('fail.txt'), mode: 'backfill', batchSize: 2 });
    await source.start(() => {
      throw new Error('disk full');
    });
    await expect(source.done()).rejects.toThrow('disk full');
    expect(source.stats()).toMatchObject({ sinkErrors: 1, droppedEvents: 2, events: 0 });
    await source.stop();
  });

  it('rejects bad options and unreadable files', async () => {
    expect(() => new ReplayChatSource({ file: 'x', mode: 'backfill', loop: true })).toThrow(/only demo/);
    expect(() => new ReplayChatSource({ file: 'x', mode: 'demo', speed: 0 })).toThrow(/speed/);
    const missing = new ReplayChatSource({ file: join(dir, 'missing.txt'), mode: 'backfill' });
    await expect(missing.start(() => {})).rejects.toThrow(/not readable/);
  });
});
