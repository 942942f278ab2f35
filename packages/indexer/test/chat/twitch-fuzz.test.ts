// 10,000 malformed or random lines through the real tmi.js client: the source must survive whatever tmi.js throws,
// keep its connections, and still deliver valid messages afterwards.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/chat/event.js';
import { TwitchChatSource } from '../../src/chat/twitch-source.js';
import { FakeIrcServer, privmsg } from '../fake-irc-server.js';
import { waitFor } from '../wait-for.js';

const CHANNELS = ['fuzz1', 'fuzz2', 'fuzz3', 'fuzz4'];
const COMMANDS = [
  'PRIVMSG',
  'USERNOTICE',
  'NOTICE',
  'CLEARCHAT',
  'CLEARMSG',
  'HOSTTARGET',
  'ROOMSTATE',
  'USERSTATE',
  'GLOBALUSERSTATE',
  'WHISPER',
  'MODE',
  'JOIN',
  'PART',
  'PING',
  'PONG',
  'CAP',
  'SERVERCHANGE',
  '001',
  '353',
  '366',
  '372',
  '376',
  '421',
];
const PREFIXES = [':tmi.twitch.tv ', ':jtv ', ':someone!someone@someone.tmi.twitch.tv ', '', ': ', ':'];

// Lines that make tmi.js 1.8.5 throw from its socket handler (see tmi-isolation.test.ts), and a repeated end-of-MOTD
// that would leave it with a second ping loop.
const THROWERS = [
  ':tmi.twitch.tv NOTICE #fuzz1',
  ':someone!someone@someone.tmi.twitch.tv PRIVMSG #fuzz1',
  ':tmi.twitch.tv HOSTTARGET #fuzz1',
  ':someone.tmi.twitch.tv 353 a b',
  '@msg-id=resub;msg-param-sub-plan=1 :tmi.twitch.tv USERNOTICE #fuzz1 :x',
  ':tmi.twitch.tv 376 nick :again',
];

const word = fc.string({ unit: 'binary', maxLength: 30 });
const line = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => String.fromCharCode(...bytes)) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.array(fc.tuple(word, fc.option(word)), { maxLength: 8 }),
        fc.constantFrom(...PREFIXES),
        fc.constantFrom(...COMMANDS),
        fc.array(word, { maxLength: 4 }),
        fc.option(word),
      )
      .map(([tags, prefix, command, params, trailing]) => {
        const tagText = tags.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(';');
        const head = tags.length > 0 ? `@${tagText} ` : '';
        return `${head}${prefix}${command} ${params.join(' ')}${trailing === null ? '' : ` :${trailing}`}`;
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...PREFIXES), fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), fc.array(word, { maxLength: 3 }))
      .map(([prefix, command, params]) => `${prefix}${command} ${params.join(' ')}`),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('id', 'user-id', 'room-id', 'tmi-sent-ts', 'bits', 'source-room-id', 'msg-id'), word)
      .map(([tag, value]) =>
        privmsg({ channel: 'fuzz1', roomId: '1', login: 'fuzzer', userId: '5', tags: { [tag]: value } }),
      ),
  },
  { weight: 2, arbitrary: fc.constantFrom(...THROWERS) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 10_000, max: 1_000_000 }).map((n) => `:a!a@a PRIVMSG #fuzz1 :${'x'.repeat(n)}`),
  },
);

let server: FakeIrcServer;
let source: TwitchChatSource;

afterEach(async () => {
  await source?.stop();
  await server?.close();
});

it('survives 10,000 malformed or random lines through tmi.js and keeps delivering', async () => {
  server = await FakeIrcServer.start();
  const events: ChatEvent[] = [];
  source = new TwitchChatSource({
    channels: CHANNELS,
    endpoint: { host: '127.0.0.1', port: server.port, secure: false },
    maxChannelsPerConnection: 2,
    connectionIntervalMs: 20,
    reconnectIntervalMs: 50,
  });
  await source.start((batch) => {
    events.push(...batch);
  });
  const joined = () =>
    source.stats().joinedChannels === CHANNELS.length && CHANNELS.every((c) => server.joinedTo(c).length > 0);
  await waitFor(joined, 'every channel joined');

  const samples = fc.sample(fc.tuple(fc.constantFrom(...CHANNELS), line), { numRuns: 10_000, seed: 20240611 });
  for (const [i, [channel, text]] of samples.entries()) {
    if (i % 2500 === 10) {
      // Raw frames too: invalid UTF-8 in a text frame (the client's ws closes the socket) and a binary frame.
      for (const c of server.joinedTo(channel)) server.sendRaw(c, Buffer.from([0xff, 0xfe, 0x20, 0xc3]));
      for (const c of server.joinedTo(channel)) server.sendRaw(c, Buffer.from('PING :binary\r\n'), { binary: true });
    }
    server.send(channel, text);
    if (i % 200 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  // Let the garbage drain: no line arriving for half a second, and every channel joined (a frame of invalid UTF-8
  // makes the client drop its socket, and lines sent while a shard reconnects are lost, as with real Twitch).
  let lines = -1;
  let changedAt = Date.now();
  await waitFor(
    () => {
      const now = source.stats().lines;
      if (now !== lines) [lines, changedAt] = [now, Date.now()];
      return Date.now() - changedAt > 500 && joined();
    },
    'the source to settle',
    120_000,
  );

  const before = events.length;
  const valid = CHANNELS.flatMap((channel, i) =>
    [1, 2, 3].map((n) => {
      const id = randomUUID();
      server.send(
        channel,
        privmsg({ channel, roomId: server.roomIdOf(channel), login: `ok${i}${n}`, userId: `${700 + i * 10 + n}`, id }),
      );
      return id;
    }),
  );
  await waitFor(
    () => valid.every((id) => events.some((e) => e.id === id)),
    'the valid messages after the fuzz',
    60_000,
  );
  expect(events.length - before).toBe(valid.length);

  const stats = source.stats();
  expect(stats.clientErrors).toBeGreaterThan(0);
  expect(stats.restarts).toBeGreaterThan(0);
  expect(stats.malformedLines).toBeGreaterThan(0);
  expect(stats.skips.malformed).toBeGreaterThan(0);
  expect(stats.lines).toBeGreaterThan(1000);
}, 300_000);
