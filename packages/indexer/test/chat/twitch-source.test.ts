import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/chat/event.js';
import { TwitchChatSource, type TwitchChatSourceOptions } from '../../src/chat/twitch-source.js';
import { FakeIrcServer, privmsg, usernotice } from '../fake-irc-server.js';
import { waitFor } from '../wait-for.js';

let server: FakeIrcServer;
let source: TwitchChatSource | null = null;
let events: ChatEvent[];

beforeEach(async () => {
  server = await FakeIrcServer.start();
  events = [];
});

afterEach(async () => {
  await source?.stop();
  source = null;
  await server.close();
});

async function startSource(channels: string[], options: Partial<TwitchChatSourceOptions> = {}) {
  source = new TwitchChatSource({
    channels,
    endpoint: { host: '127.0.0.1', port: server.port, secure: false },
    maxChannelsPerConnection: 2,
    connectionIntervalMs: 50,
    reconnectIntervalMs: 100,
    ...options,
  });
  await source.start((batch) => {
    events.push(...batch);
  });
  const running = source;
  await waitFor(
    () => running.stats().joinedChannels === channels.length && channels.every((c) => server.joinedTo(c).length > 0),
    'every channel joined',
  );
  return running;
}

/** Sends a chat message from viewer `n` to `channel`; returns its id. */
function say(channel: string, n: number): string {
  const id = randomUUID();
  server.send(channel, privmsg({ channel, roomId: server.roomIdOf(channel), login: `viewer${n}`, userId: `${n}`, id }));
  return id;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TwitchChatSource', () => {
  it('reads several channels over several shards', async () => {
    const channels = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    const running = await startSource(channels);
    expect(server.connections).toHaveLength(3);
    expect(server.connections.every((c) => /^justinfan\d+$/.test(c.nick ?? ''))).toBe(true);
    expect(server.connections.map((c) => [...c.channels].sort())).toEqual(
      expect.arrayContaining([['alpha', 'bravo'], ['charlie', 'delta'], ['echo']]),
    );

    const sent = channels.flatMap((channel, i) => [say(channel, 10 + i), say(channel, 20 + i)]);
    server.send(
      'echo',
      usernotice({
        channel: 'echo',
        roomId: server.roomIdOf('echo'),
        login: 'raider',
        userId: '99',
        msgId: 'raid',
        params: { viewerCount: 42 },
      }),
    );
    await waitFor(() => events.length === sent.length + 1, 'every event');
    expect(
      events
        .filter((e) => e.kind === 'message')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...sent].sort());
    expect(events.find((e) => e.kind === 'raid')).toMatchObject({ channelLogin: 'echo', count: 42, userId: '99' });
    expect(events.find((e) => e.id === sent[0])).toMatchObject({
      channelLogin: 'alpha',
      channelId: server.roomIdOf('alpha'),
    });
    const pinged = server.connections[0];
    if (pinged === undefined) throw new Error('no connection');
    server.ping(pinged);
    await waitFor(() => pinged.received.includes('PONG'), 'a PONG');
    const stats = running.stats();
    expect(stats).toMatchObject({ connections: 3, joinedChannels: 5, events: 11, clientErrors: 0, restarts: 0 });
    expect(stats.skips['ignored-command']).toBeGreaterThan(0);
  });

  it('handles RECONNECT make-before-break: nothing lost, nothing twice', async () => {
    const running = await startSource(['one', 'two', 'three']);
    const old = server.joinedTo('one')[0];
    if (old === undefined) throw new Error('no connection on #one');
    const sent: string[] = [];
    let n = 0;
    const burst = async (count: number) => {
      for (let i = 0; i < count; i++) {
        sent.push(say(['one', 'two', 'three'][n % 3] as string, 1000 + n));
        n++;
        await sleep(5);
      }
    };

    await burst(30);
    server.reconnect(old);
    // Keep chatting while the replacement connects and joins, until the old connection is gone.
    while (old.open) await burst(10);
    await burst(30);
    await waitFor(() => events.length >= sent.length, 'every message');
    say('three', 1); // a last message through the same path: anything still in flight has arrived before it
    await waitFor(() => events.length >= sent.length + 1, 'the last message');

    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, -1).sort()).toEqual([...sent].sort());
    const stats = running.stats();
    expect(stats.restarts).toBe(1);
    expect(stats.reconnects).toBe(0);
    expect(stats.skips.duplicate).toBeGreaterThan(0);
    expect(server.joinedTo('one')).toHaveLength(1);
    expect(server.joinedTo('one')[0]).not.toBe(old);
    expect(server.joinedTo('three')).toHaveLength(1);
  });

  it('replaces a client that threw, make-before-break, without losing a message', async () => {
    const running = await startSource(['one', 'two']);
    const old = server.joinedTo('one')[0];
    const sent = [say('one', 1), say('two', 2)];
    server.send('one', ':tmi.twitch.tv NOTICE #one'); // tmi.js 1.8.5 throws on a NOTICE without text
    while (old?.open) {
      sent.push(say('one', sent.length + 10));
      await sleep(10);
    }
    sent.push(say('two', 3));
    await waitFor(() => events.length >= sent.length, 'every message');
    expect(events.map((e) => e.id).sort()).toEqual([...sent].sort());
    expect(running.stats()).toMatchObject({ clientErrors: 1, restarts: 1, reconnects: 0, joinedChannels: 2 });
  });

  it('lets the replacement take over when the server closes the old connection right after RECONNECT', async () => {
    const running = await startSource(['one', 'two']);
    const old = server.joinedTo('one')[0];
    if (old === undefined) throw new Error('no connection on #one');
    server.reconnect(old, 0);
    await waitFor(() => running.stats().restarts === 1 && running.stats().joinedChannels === 2, 'the replacement');
    await waitFor(() => server.joinedTo('two').length === 1 && !old.open, 'only the replacement');
    const id = say('two', 1);
    await waitFor(() => events.some((e) => e.id === id), 'a message');
    expect(running.stats()).toMatchObject({ reconnects: 0, connections: 1 });
  });

  it('reconnects a dropped connection and keeps delivering', async () => {
    const running = await startSource(['one', 'two']);
    const first = say('one', 1);
    await waitFor(() => events.length === 1, 'the first message');
    const old = server.joinedTo('one')[0];
    if (old === undefined) throw new Error('no connection on #one');
    server.drop(old);
    await waitFor(() => running.stats().reconnects === 1, 'a reconnect');
    await waitFor(
      () =>
        running.stats().joinedChannels === 2 &&
        server.joinedTo('one').length === 1 &&
        server.joinedTo('two').length === 1,
      'rejoined',
    );
    const second = [say('one', 2), say('two', 3)];
    await waitFor(() => events.length === 3, 'messages after the reconnect');
    expect(events.map((e) => e.id)).toEqual([first, ...second]);
    expect(running.stats()).toMatchObject({ connections: 1, restarts: 0 });
  });

  it('joins again a channel whose JOIN went unanswered', async () => {
    await server.close();
    let ignored = 0;
    server = await FakeIrcServer.start({ ignoreJoin: (login) => login === 'late' && ignored++ === 0 });
    const running = await startSource(['early', 'late'], { rejoinIntervalMs: 1000 });
    expect(ignored).toBe(2);
    const id = say('late', 1);
    await waitFor(() => events.some((e) => e.id === id), 'a message in the late channel');
    expect(running.stats().joinedChannels).toBe(2);
  });

  it('starts while the server is unreachable and connects once it is up', async () => {
    const { port } = server;
    await server.close();
    source = new TwitchChatSource({
      channels: ['one'],
      endpoint: { host: '127.0.0.1', port, secure: false },
      connectionIntervalMs: 50,
      reconnectIntervalMs: 100,
      maxReconnectIntervalMs: 500,
    });
    await source.start((batch) => {
      events.push(...batch);
    });
    const running = source;
    expect(running.stats().connections).toBe(0);
    await waitFor(() => running.stats().reconnects >= 2, 'reconnect attempts');
    server = await FakeIrcServer.start({ port });
    await waitFor(() => running.stats().joinedChannels === 1 && server.joinedTo('one').length === 1, 'joined');
    const id = say('one', 1);
    await waitFor(() => events.some((e) => e.id === id), 'a message');
  });

  it('drops excluded users before the sink', async () => {
    await startSource(['one'], { isExcluded: (userId) => userId === '666' });
    const kept = say('one', 1);
    say('one', 666);
    const last = say('one', 2);
    await waitFor(() => events.some((e) => e.id === last), 'the last message');
    expect(events.map((e) => e.id)).toEqual([kept, last]);
    expect(source?.stats().skips['excluded-user']).toBe(1);
  });

  it('rejects invalid channel logins and too fast joins', () => {
    expect(() => new TwitchChatSource({ channels: ['#hash'] })).toThrow(/invalid Twitch login/);
    expect(() => new TwitchChatSource({ channels: ['ok'], joinIntervalMs: 100 })).toThrow(/joinIntervalMs/);
  });
});
