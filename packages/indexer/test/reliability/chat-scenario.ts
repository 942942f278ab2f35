// One hour of chat with every case the allocation must get right, as raw IRC lines with fixed ids and times, and the
// weighted-v1 result worked out by hand from them.
import { clearchat, clearmsg, defaultRoomId, privmsg, usernotice } from '../fake-irc-server.js';

/** The scenario's hourly epoch (2023-11-14 22:00 UTC): long past, so the collector's wall-clock watermark is beyond it. */
export const EPOCH = 1_699_999_200;
export const EPOCH_SECONDS = 3600;
/** The channels collected; #charlie is disabled after collection, before the epoch seals, and earns nothing. */
export const ENABLED = ['alpha', 'bravo'] as const;
export const DISABLED = ['charlie'] as const;
export const CHANNELS = [...ENABLED, ...DISABLED];
/**
 * A known bot, whose lines the collector drops (the bots list is loaded before it starts), and a viewer who opts out
 * after chatting: the events are stored, and the seal excludes them.
 */
export const BOT = { userId: '900', login: 'botty' };
export const OPTED_OUT = { userId: '901', login: 'optout' };
/** Base units per point, and a budget far above the total, so amounts are points x rate exactly. */
export const RATE_PER_POINT = 800_000_000n;
export const EPOCH_BUDGET = 1_000_000_000_000_000n;

/** A line to send to a channel; `event` tells whether the collector turns it into a stored event. */
export interface ScenarioLine {
  channel: string;
  line: string;
  event: boolean;
}

const at = (minute: number, second = 0) => EPOCH * 1000 + minute * 60_000 + second * 1000;
let serial = 0;
const nextId = () => `00000000-0000-4000-8000-${(++serial).toString(16).padStart(12, '0')}`;

/** Every line, in sending order (a mystery gift before its follow-ups, as Twitch sends them). */
export function scenarioLines(): ScenarioLine[] {
  serial = 0;
  const lines: ScenarioLine[] = [];
  const room = (channel: string) => ({ channel, roomId: defaultRoomId(channel) });
  const say = (channel: string, who: { userId: string; login: string }, sentAt: number, bits?: number) => {
    const id = nextId();
    const event = who.userId !== BOT.userId;
    lines.push({ channel, line: privmsg({ ...room(channel), ...who, id, sentAt, bits }), event });
    return id;
  };
  const notice = (
    channel: string,
    who: { userId: string; login: string },
    msgId: string,
    sentAt: number,
    params: Record<string, string | number> = {},
    event = true,
  ) =>
    lines.push({ channel, line: usernotice({ ...room(channel), ...who, id: nextId(), msgId, sentAt, params }), event });

  const ann = { userId: '101', login: 'ann' };
  const bob = { userId: '102', login: 'bob' };
  const cat = { userId: '103', login: 'cat' };
  const dan = { userId: '104', login: 'dan' };
  const eve = { userId: '105', login: 'eve' };
  const fox = { userId: '106', login: 'fox' };
  const hal = { userId: '107', login: 'hal' };
  const ivy = { userId: '108', login: 'ivy' };
  const gus = { userId: '110', login: 'gus' };

  // ann: 5 messages in 4 distinct minutes of #alpha, the last in the epoch's last millisecond; 1 minute in #bravo.
  for (const sentAt of [at(0), at(1), at(1, 30), at(2), at(59, 59) + 999]) say('alpha', ann, sentAt);
  say('bravo', ann, at(5));
  // bob: 5 minutes, the last message a 250-bit cheer.
  for (let m = 10; m < 14; m++) say('alpha', bob, at(m));
  say('alpha', bob, at(14), 250);
  // cat: 10 minutes; an 11th message, alone in its minute, is deleted by a moderator.
  for (let m = 20; m < 30; m++) say('alpha', cat, at(m));
  const deleted = say('alpha', cat, at(30));
  lines.push({
    channel: 'alpha',
    line: clearmsg({ ...room('alpha'), login: 'cat', targetId: deleted, sentAt: at(31) }),
    event: true,
  });
  // dan subscribes; ivy resubscribes; eve raids with 42 viewers.
  notice('alpha', dan, 'sub', at(16));
  notice('bravo', ivy, 'resub', at(17), { 'cumulative-months': 7 });
  notice('bravo', eve, 'raid', at(18), { viewerCount: 42 });
  // hal gifts 5 subs at once: the mystery gift counts 5, its 5 follow-up subgift notices are skipped.
  notice('bravo', hal, 'submysterygift', at(19), { 'mass-gift-count': 5, 'community-gift-id': '4242' });
  for (let i = 0; i < 5; i++) {
    const recipient = { 'recipient-id': 3000 + i, 'recipient-user-name': `lucky${i}`, 'community-gift-id': '4242' };
    notice('bravo', hal, 'subgift', at(19, 1 + i), recipient, false);
  }
  // fox is banned: the messages before the ban count for nothing.
  say('alpha', fox, at(3));
  say('alpha', fox, at(4));
  lines.push({
    channel: 'alpha',
    line: clearchat({ ...room('alpha'), targetUserId: fox.userId, targetLogin: fox.login, sentAt: at(5) }),
    event: true,
  });
  // gus is timed out: his message before the timeout is removed, the one after it counts.
  say('alpha', gus, at(7));
  lines.push({
    channel: 'alpha',
    line: clearchat({
      ...room('alpha'),
      targetUserId: gus.userId,
      targetLogin: gus.login,
      sentAt: at(8),
      durationSeconds: 600,
    }),
    event: true,
  });
  say('alpha', gus, at(40));
  // The bot and the viewer who opts out are active, and earn nothing.
  for (let m = 0; m < 10; m++) say('alpha', BOT, at(m));
  notice('alpha', OPTED_OUT, 'sub', at(15));
  say('alpha', OPTED_OUT, at(15));
  // ann in #charlie, disabled before the epoch seals: 6 minutes and a sub, for nothing.
  for (let m = 0; m < 6; m++) say('charlie', ann, at(m));
  notice('charlie', ann, 'sub', at(6));
  // The first millisecond of the next epoch belongs to the next epoch. Sent last: once it is acknowledged, every
  // line before it has been handled.
  say('alpha', ann, (EPOCH + EPOCH_SECONDS) * 1000);
  return lines;
}

/** Events the collector stores for the scenario's epoch (every event line but the last, which is the next epoch's). */
export const EVENTS_IN_EPOCH = scenarioLines().filter((line) => line.event).length - 1;

/**
 * The weighted-v1 points per (channel, viewer) the lines earn: 100 per active minute, 1000 per sub or resub, 500 per
 * gifted sub, 1 per bit, 10 per raid viewer.
 */
const POINTS: [channel: string, viewer: string, points: bigint][] = [
  ['alpha', '101', 400n], // 4 minutes
  ['alpha', '102', 750n], // 5 minutes + 250 bits
  ['alpha', '103', 1000n], // 10 minutes (the deleted message's minute not counted)
  ['alpha', '104', 1000n], // a sub
  ['alpha', '110', 100n], // 1 minute after the timeout
  ['bravo', '101', 100n], // 1 minute
  ['bravo', '105', 420n], // a raid of 42
  ['bravo', '107', 2500n], // 5 gifted subs
  ['bravo', '108', 1000n], // a resub
];

/** What the next epoch pays: ann's one minute, in its first millisecond. */
const NEXT_EPOCH_POINTS: typeof POINTS = [['alpha', '101', 100n]];

/**
 * The expected allocations of the scenario's epoch (or the next) as [channel id, viewer, points, amount], sorted like
 * the allocations query.
 */
export function expectedAllocations(epoch = EPOCH): [string, string, string, string][] {
  return (epoch === EPOCH ? POINTS : NEXT_EPOCH_POINTS)
    .map(([channel, viewer, points]): [string, string, string, string] => [
      defaultRoomId(channel),
      viewer,
      String(points),
      String(points * RATE_PER_POINT),
    ])
    .sort((x, y) => {
      const [cx, cy] = [BigInt(x[0]), BigInt(y[0])];
      return cx === cy ? (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) : cx < cy ? -1 : 1;
    });
}
