import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/chat/event.js';
import { parseIrcLine } from '../../src/chat/irc.js';
import { normalize } from '../../src/chat/normalize.js';
import { createNormalizeContext, type NormalizeContextOptions } from '../../src/chat/normalize-context.js';
import { type NormalizeResult, NormalizeStats } from '../../src/chat/normalize-result.js';
import { uuidFromContent } from '../../src/chat/uuid.js';
import { clearchat, clearmsg, privmsg, usernotice } from './irc-lines.js';

const room = { channel: 'dallas', roomId: '1001', sentAt: 1_700_000_000_000 };
const viewer = { login: 'ronni', userId: '2002' };

function run(lines: string[], options: NormalizeContextOptions = {}) {
  const stats = new NormalizeStats();
  const context = createNormalizeContext({ ...options, stats });
  const results = lines.map((line) => {
    const message = parseIrcLine(line);
    if (message === null) throw new Error(`unparsable test line ${line}`);
    return normalize(message, context);
  });
  return { results, stats };
}

function one(line: string, options?: NormalizeContextOptions): NormalizeResult {
  return run([line], options).results[0] as NormalizeResult;
}

function eventOf(result: NormalizeResult): ChatEvent {
  if (!('event' in result)) throw new Error(`expected an event, got skip ${result.skip}: ${result.detail}`);
  return result.event;
}

describe('normalize', () => {
  it('turns a PRIVMSG into a message event without its text', () => {
    const id = randomUUID();
    expect(eventOf(one(privmsg({ ...room, ...viewer, id, text: 'secret words' })))).toEqual({
      id,
      kind: 'message',
      channelId: '1001',
      channelLogin: 'dallas',
      userId: '2002',
      login: 'ronni',
      sentAt: 1_700_000_000_000,
      bits: 0,
      count: 0,
      targetId: null,
    });
  });

  it('reads bits from cheers and lowercases ids', () => {
    const id = randomUUID().toUpperCase();
    const event = eventOf(one(privmsg({ ...room, ...viewer, id, bits: 250, text: 'cheer250 hi' })));
    expect(event).toMatchObject({ kind: 'message', bits: 250, id: id.toLowerCase() });
  });

  it('turns sub, resub, subgift, submysterygift and raid notices into events', () => {
    const base = { ...room, login: 'gifter', userId: '3003' };
    const sub = eventOf(one(usernotice({ ...base, msgId: 'sub', params: { 'sub-plan': 1000 } })));
    expect(sub).toMatchObject({ kind: 'sub', userId: '3003', login: 'gifter', count: 0, channelId: '1001' });
    expect(eventOf(one(usernotice({ ...base, msgId: 'resub', params: { 'cumulative-months': 7 } }))).kind).toBe(
      'resub',
    );
    const gift = usernotice({ ...base, msgId: 'subgift', params: { 'recipient-id': '77', 'origin-id': 'ab\\scd' } });
    expect(eventOf(one(gift))).toMatchObject({ kind: 'subgift', count: 0 });
    const mystery = usernotice({ ...base, msgId: 'submysterygift', params: { 'mass-gift-count': 5 } });
    expect(eventOf(one(mystery))).toMatchObject({ kind: 'submysterygift', count: 5 });
    const raid = usernotice({
      ...room,
      login: 'raider',
      userId: '4004',
      msgId: 'raid',
      params: { login: 'raider', displayName: 'Raider', viewerCount: 123 },
    });
    expect(eventOf(one(raid))).toMatchObject({ kind: 'raid', userId: '4004', login: 'raider', count: 123 });
  });

  it('counts a mystery gift of N once and skips its N follow-up subgift notices', () => {
    const base = { ...room, login: 'gifter', userId: '3003' };
    const lines = [
      usernotice({ ...base, msgId: 'submysterygift', params: { 'mass-gift-count': 3, 'community-gift-id': '999' } }),
      ...[1, 2, 3].map((n) =>
        usernotice({ ...base, msgId: 'subgift', params: { 'community-gift-id': '999', 'recipient-id': `${n}0` } }),
      ),
      // Older notices correlate by origin-id only.
      usernotice({ ...base, msgId: 'submysterygift', params: { 'mass-gift-count': 2, 'origin-id': 'fb a5 95' } }),
      ...[1, 2].map(() => usernotice({ ...base, msgId: 'subgift', params: { 'origin-id': 'fb a5 95' } })),
      // A standalone gift (its own origin-id) still counts.
      usernotice({ ...base, msgId: 'subgift', params: { 'origin-id': 'de ad be ef' } }),
    ];
    const { results, stats } = run(lines);
    const events = results.filter((r) => 'event' in r).map((r) => eventOf(r));
    expect(events.map((e) => [e.kind, e.count])).toEqual([
      ['submysterygift', 3],
      ['submysterygift', 2],
      ['subgift', 0],
    ]);
    expect(stats.skips['gift-follow-up']).toBe(5);
  });

  it('counts shared-chat copies once, for the source room, under the source id', () => {
    const sourceId = randomUUID();
    const shared = { 'source-room-id': '1001', 'source-id': sourceId };
    const lines = [
      privmsg({ ...room, ...viewer, id: sourceId, tags: shared }),
      privmsg({ channel: 'partner', roomId: '5005', ...viewer, id: randomUUID(), tags: shared, sentAt: room.sentAt }),
      privmsg({ channel: 'third', roomId: '6006', ...viewer, id: randomUUID(), tags: shared, sentAt: room.sentAt }),
    ];
    const { results, stats } = run(lines);
    expect(eventOf(results[0] as NormalizeResult)).toMatchObject({ id: sourceId, channelId: '1001' });
    expect(results.slice(1)).toEqual([{ skip: 'mirror-duplicate' }, { skip: 'mirror-duplicate' }]);
    expect(stats).toMatchObject({ events: 1 });

    // Seen first in a partner room, the copy names the source room and no login.
    const alone = one(lines[1] as string);
    expect(eventOf(alone)).toMatchObject({ id: sourceId, channelId: '1001', channelLogin: null, userId: '2002' });
  });

  it('reads shared-chat notices in other rooms by their source msg-id', () => {
    const sourceId = randomUUID();
    const line = usernotice({
      channel: 'partner',
      roomId: '5005',
      login: 'gifter',
      userId: '3003',
      msgId: 'sharedchatnotice',
      params: { 'mass-gift-count': 4 },
      tags: { 'source-msg-id': 'submysterygift', 'source-room-id': '1001', 'source-id': sourceId },
    });
    expect(eventOf(one(line))).toMatchObject({ kind: 'submysterygift', count: 4, channelId: '1001', id: sourceId });
  });

  it('turns CLEARMSG and a user CLEARCHAT into events with deterministic ids', () => {
    const targetId = randomUUID();
    const deleted = eventOf(one(clearmsg({ ...room, login: 'ronni', targetId })));
    expect(deleted).toMatchObject({ kind: 'clearmsg', targetId, login: 'ronni', userId: null, channelId: '1001' });
    expect(deleted.id).toBe(uuidFromContent(`clearmsg:1001:${targetId}`));

    const ban = eventOf(one(clearchat({ ...room, targetUserId: '2002', targetLogin: 'ronni', durationSeconds: 600 })));
    expect(ban).toMatchObject({ kind: 'clearchat', userId: '2002', login: 'ronni', targetId: null });
    expect(ban.id).toBe(uuidFromContent('clearchat:1001:2002:1700000000000'));
    expect(ban.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = eventOf(one(clearchat({ ...room, targetUserId: '2002', targetLogin: 'ronni' })));
    expect(again.id).toBe(ban.id);
  });

  it('uses the room id learned from ROOMSTATE when a CLEARMSG has an empty room-id', () => {
    const line = clearmsg({ ...room, roomId: '', login: 'ronni', targetId: randomUUID() });
    expect(one(line)).toMatchObject({ skip: 'malformed' });
    expect(eventOf(one(line, { roomIdOf: (login) => (login === 'dallas' ? '1001' : undefined) })).channelId).toBe(
      '1001',
    );
  });

  it('ignores other commands, other notices and room-wide CLEARCHAT', () => {
    const { results, stats } = run([
      'PING :tmi.twitch.tv',
      '@room-id=1001 :tmi.twitch.tv ROOMSTATE #dallas',
      ':ronni!ronni@ronni.tmi.twitch.tv JOIN #dallas',
      usernotice({ ...room, ...viewer, msgId: 'viewermilestone' }),
      usernotice({ ...room, ...viewer, msgId: 'announcement' }),
      clearchat({ ...room }),
    ]);
    expect(results.map((r) => ('skip' in r ? r.skip : 'event'))).toEqual([
      'ignored-command',
      'ignored-command',
      'ignored-command',
      'ignored-notice',
      'ignored-notice',
      'ignored-notice',
    ]);
    expect(stats.skips['ignored-command']).toBe(3);
  });

  it('drops excluded users early, by user id', () => {
    const isExcluded = (userId: string) => userId === '19264788';
    const bot = { login: 'nightbot', userId: '19264788' };
    const { results, stats } = run(
      [
        privmsg({ ...room, ...bot }),
        usernotice({ ...room, ...bot, msgId: 'sub' }),
        clearchat({ ...room, targetUserId: bot.userId, targetLogin: bot.login }),
        privmsg({ ...room, ...viewer }),
      ],
      { isExcluded },
    );
    expect(results.slice(0, 3)).toEqual([
      { skip: 'excluded-user' },
      { skip: 'excluded-user' },
      { skip: 'excluded-user' },
    ]);
    expect(stats).toMatchObject({ events: 1 });
  });

  it('skips a repeated id as a duplicate', () => {
    const line = privmsg({ ...room, ...viewer });
    expect(run([line, line]).results[1]).toEqual({ skip: 'duplicate' });
  });

  it('reports lines with missing or invalid fields as malformed, never rewriting them', () => {
    const cases: Array<[string, string]> = [
      [privmsg({ ...room, ...viewer, id: 'not-a-uuid' }), 'id'],
      [privmsg({ ...room, ...viewer, tags: { id: undefined } }), 'id'],
      [privmsg({ ...room, ...viewer, userId: '0042' }), 'user-id'],
      [privmsg({ ...room, ...viewer, tags: { 'user-id': undefined } }), 'user-id'],
      [privmsg({ ...room, login: 'bad-login', userId: '5' }), 'prefix login'],
      [privmsg({ ...room, ...viewer, roomId: 'abc' }), 'room-id'],
      [privmsg({ ...room, ...viewer, tags: { 'tmi-sent-ts': 'yesterday' } }), 'tmi-sent-ts'],
      [privmsg({ ...room, ...viewer, tags: { bits: '-5' } }), 'bits'],
      [privmsg({ ...room, ...viewer, tags: { 'source-room-id': '9', 'source-id': 'x' } }), 'source-id'],
      [`@id=${randomUUID()};room-id=1;user-id=2;tmi-sent-ts=1 :a!a@a PRIVMSG #dallas`, 'message parameter'],
      [`@id=${randomUUID()};room-id=1;user-id=2;tmi-sent-ts=1 :a!a@a PRIVMSG dallas :x`, '#channel'],
      [usernotice({ ...room, ...viewer, msgId: 'submysterygift' }), 'mass-gift-count'],
      [usernotice({ ...room, ...viewer, msgId: 'raid', params: { viewerCount: 'many' } }), 'viewerCount'],
      [usernotice({ ...room, ...viewer, msgId: 'sub', tags: { login: 'Bad Login' } }), 'login'],
      [usernotice({ ...room, ...viewer, msgId: 'sub', tags: { 'msg-id': undefined } }), 'msg-id'],
      [clearmsg({ ...room, login: 'ronni', targetId: 'nope' }), 'target-msg-id'],
      [clearchat({ ...room, targetUserId: 'x1' }), 'target-user-id'],
    ];
    for (const [line, field] of cases) {
      const result = one(line);
      expect(result, line).toMatchObject({ skip: 'malformed' });
      expect('detail' in result && result.detail, line).toContain(field);
    }
  });
});
