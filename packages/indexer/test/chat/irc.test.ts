import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIrcLine, prefixNick, unescapeTagValue } from '../../src/chat/irc.js';

describe('parseIrcLine', () => {
  it('parses tags, prefix, command, middle and trailing params', () => {
    const message = parseIrcLine(
      '@badge-info=;color=#FF0000;display-name=Ronni;id=b34ccfc7-4977-403a-8a94-33c6bac34fb8 :ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #dallas :Kappa  Keepo Kappa\r\n',
    );
    expect(message).toEqual({
      tags: { 'badge-info': '', color: '#FF0000', 'display-name': 'Ronni', id: 'b34ccfc7-4977-403a-8a94-33c6bac34fb8' },
      prefix: 'ronni!ronni@ronni.tmi.twitch.tv',
      command: 'PRIVMSG',
      params: ['#dallas', 'Kappa  Keepo Kappa'],
    });
    expect(prefixNick(message?.prefix ?? null)).toBe('ronni');
  });

  it('unescapes tag values the IRCv3 way', () => {
    expect(unescapeTagValue('a\\sb\\:c\\\\d\\re\\nf')).toBe('a b;c\\d\re\nf');
    expect(unescapeTagValue('drop\\xunknown')).toBe('dropxunknown');
    expect(unescapeTagValue('trailing\\')).toBe('trailing');
    expect(parseIrcLine('@system-msg=5\\sgifts\\:\\snice;flag;empty= PING')?.tags).toEqual({
      'system-msg': '5 gifts; nice',
      flag: '',
      empty: '',
    });
  });

  it('keeps the last of repeated tags and treats __proto__ as a plain key', () => {
    const tags = parseIrcLine('@a=1;a=2;__proto__=x;constructor=y PING')?.tags;
    expect(tags?.a).toBe('2');
    expect(Object.entries(tags ?? {})).toContainEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(tags)).toBeNull();
  });

  it('parses lines without tags or prefix, with empty trailing, and numerics', () => {
    expect(parseIrcLine('PING :tmi.twitch.tv')).toEqual({
      tags: {},
      prefix: null,
      command: 'PING',
      params: ['tmi.twitch.tv'],
    });
    expect(parseIrcLine(':tmi.twitch.tv RECONNECT')?.params).toEqual([]);
    expect(parseIrcLine(':a 376 nick :')?.params).toEqual(['nick', '']);
    expect(parseIrcLine(':a!a@a privmsg  #c   x  :y z')).toMatchObject({
      command: 'PRIVMSG',
      params: ['#c', 'x', 'y z'],
    });
  });

  it('returns null for malformed lines', () => {
    for (const bad of [
      '',
      '\r\n',
      '@tagsonly',
      ':prefixonly',
      ': PRIVMSG #a :b',
      '@a=b :prefix',
      'PRIV-MSG #a',
      '12 x',
      '1234 x',
      'PRIVMSG #a :b\nPRIVMSG #c :d',
      'NUL\0 x',
      '@a=b  ',
      ' ',
    ]) {
      expect(parseIrcLine(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(parseIrcLine(42 as unknown as string)).toBeNull();
  });

  it('never throws on any string', () => {
    const ircish = fc.array(
      fc.constantFrom(
        '@',
        ':',
        ' ',
        ';',
        '=',
        '\\',
        '\r',
        '\n',
        'PRIVMSG',
        '#',
        'a',
        '1',
        's',
        '\0',
        '\u{1F600}',
        '\ud800',
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          ircish.map((parts) => parts.join('')),
        ),
        (line) => {
          const message = parseIrcLine(line);
          if (message !== null) {
            expect(typeof message.command).toBe('string');
            expect(Array.isArray(message.params)).toBe(true);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});
