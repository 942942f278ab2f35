// Why the client is isolated: tmi.js 1.8.5 throws from its socket message handler on these inputs, and without the
// guard the exception escapes through the ws event dispatch and ends the process.
import { describe, expect, it, vi } from 'vitest';
import { createTmiClient, isolateClient } from '../../src/chat/tmi-internal.js';

const THROWERS = [
  ':tmi.twitch.tv NOTICE #chan',
  ':someone!someone@someone.tmi.twitch.tv PRIVMSG #chan',
  ':tmi.twitch.tv HOSTTARGET #chan',
  ':someone.tmi.twitch.tv 353 a b',
  '@msg-id=resub;msg-param-sub-plan=1 :tmi.twitch.tv USERNOTICE #chan :x',
];

const quietClient = () =>
  createTmiClient({ options: { skipUpdatingEmotesets: true }, logger: { info() {}, warn() {}, error() {} } });

describe('tmi.js isolation', () => {
  it('tmi.js 1.8.5 throws from its message handler on these lines, and on a binary frame', () => {
    for (const line of THROWERS) {
      const client = quietClient() as unknown as { _onMessage(event: { data: unknown }): void };
      expect(() => client._onMessage({ data: line }), line).toThrow(TypeError);
    }
    const client = quietClient() as unknown as { _onMessage(event: { data: unknown }): void };
    expect(() => client._onMessage({ data: Buffer.from('PING') })).toThrow(TypeError);
  });

  it('an isolated client reports the throw and handles the next line', () => {
    const client = quietClient();
    const threw = vi.fn();
    const pings = vi.fn();
    client.on('ping', pings);
    isolateClient(client, {
      frame: (data, forward) => {
        for (const line of String(data).split('\r\n')) forward(line);
      },
      threw,
      closed: () => {},
    });
    const internals = client as unknown as { _onMessage(event: { data: unknown }): void; _onClose(): void };
    expect(() => internals._onMessage({ data: `${THROWERS.join('\r\n')}\r\nPING :tmi.twitch.tv` })).not.toThrow();
    expect(threw).toHaveBeenCalledTimes(THROWERS.length);
    expect(pings).toHaveBeenCalledTimes(1);
  });
});
