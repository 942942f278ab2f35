// The in-place parser against a straightforward one (split, regex, one object per step) on random lines: same
// message or same null, for tagged lines full of separators, escapes, line breaks and non-ASCII.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IrcMessage, parseIrcLine, unescapeTagValue } from '../../src/chat/irc.js';

const ESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

function referenceUnescape(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = value[++i];
    if (next !== undefined) out += ESCAPES[next] ?? next;
  }
  return out;
}

function referenceParse(line: string): IrcMessage | null {
  const text = line.replace(/(?:\r\n|\n|\r)$/, '');
  if (text === '' || /[\r\n\0]/.test(text)) return null;
  const tags = Object.create(null) as Record<string, string>;
  let rest = text;
  if (rest.startsWith('@')) {
    const space = rest.indexOf(' ');
    if (space === -1) return null;
    for (const part of rest.slice(1, space).split(';')) {
      const eq = part.indexOf('=');
      const key = eq === -1 ? part : part.slice(0, eq);
      if (key !== '') tags[key] = eq === -1 ? '' : referenceUnescape(part.slice(eq + 1));
    }
    rest = rest.slice(space).replace(/^ +/, '');
  }
  let prefix: string | null = null;
  if (rest.startsWith(':')) {
    const space = rest.indexOf(' ');
    if (space === -1 || space === 1) return null;
    prefix = rest.slice(1, space);
    rest = rest.slice(space).replace(/^ +/, '');
  }
  const match = /^([A-Za-z]+|[0-9]{3})(?: +|$)/.exec(rest);
  if (match === null || (rest.length > (match[1] as string).length && !match[0].endsWith(' '))) return null;
  const command = (match[1] as string).toUpperCase();
  rest = rest.slice(match[0].length);
  const params: string[] = [];
  while (rest !== '') {
    if (rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(' ');
    params.push(space === -1 ? rest : rest.slice(0, space));
    rest = space === -1 ? '' : rest.slice(space).replace(/^ +/, '');
  }
  return { tags, prefix, command, params };
}

// Small pieces that hit every branch: separators, escapes, surrogates, prefixes, commands (line breaks and NUL are
// mixed in separately, so that most tagged lines are well-formed and get parsed all the way).
const inLine = [
  '@',
  ':',
  ' ',
  '  ',
  ';',
  '=',
  '\\',
  '\\s',
  '\\:',
  '\\\\',
  '\\x',
  'a',
  'Z',
  '1',
  '42',
  '123',
  '#chan',
  '!',
  'é',
  '\u{1F600}',
  '\ud800',
  '__proto__',
  'constructor',
  'PRIVMSG',
  'privmsg',
  'USERNOTICE',
  'PING',
  'Ping',
];
const piece = fc.constantFrom(...inLine, '\r', '\n', '\r\n', '\0');
const word = fc.array(fc.constantFrom(...inLine), { maxLength: 6 }).map((parts) => parts.join(''));
// Mostly without spaces, so that most lines keep their shape; now and then a space shifts every field after it.
const token = fc.oneof(
  { weight: 9, arbitrary: word.map((w) => w.replaceAll(' ', '')) },
  { weight: 1, arbitrary: word },
);
const tagSection = fc
  .array(fc.tuple(token, fc.option(token)), { maxLength: 8 })
  .map((tags) => `@${tags.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(';')}`);
const command = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('PRIVMSG', 'privmsg', 'CLEARCHAT', 'Ping', '376') },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom('37', '3760', 'PRIV-MSG', '', '1a'), token) },
);
const taggedLine = fc
  .tuple(
    fc.option(tagSection),
    fc.constantFrom('', ' ', '  '),
    fc.option(
      fc.oneof(
        fc.constant(':'),
        token.map((w) => `:${w}`),
      ),
    ),
    fc.constantFrom('', ' ', '  '),
    command,
    fc.array(token, { maxLength: 4 }),
    fc.option(word),
    fc.constantFrom('', '\r\n', '\n', '\r', '\n\r', '\r\r\n'),
  )
  .map(([tags, gap1, prefix, gap2, command, middle, trailing, end]) => {
    const head = `${tags === null ? '' : `${tags}${gap1}`}${prefix === null ? '' : `${prefix}${gap2}`}`;
    const params = middle.map((p) => ` ${p}`).join('');
    return `${head}${command}${params}${trailing === null ? '' : ` :${trailing}`}${end}`;
  });

function same(line: string): void {
  const expected = referenceParse(line);
  const actual = parseIrcLine(line);
  expect(actual, JSON.stringify(line)).toEqual(expected);
  if (actual !== null && expected !== null) {
    // toEqual ignores key order and prototypes; both are part of the contract.
    expect(Object.entries(actual.tags)).toEqual(Object.entries(expected.tags));
    expect(Object.getPrototypeOf(actual.tags)).toBeNull();
  }
}

describe('parseIrcLine against a reference parser', () => {
  it('agrees on random tagged lines', () => {
    fc.assert(fc.property(taggedLine, same), { numRuns: 20_000 });
  });

  it('agrees on random strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 80 }),
          fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')),
        ),
        same,
      ),
      { numRuns: 20_000 },
    );
  });

  it('agrees on runs of lines whose tags resemble those of the line before', () => {
    // The parser reuses the keys of recent lines by position; near misses (a prefix, a longer key, a flag where a
    // key=value was, an escape right after the key) must not fool it.
    const key = fc.constantFrom('a', 'ab', 'a\\', 'id', 'i', 'user-id', 'user', '__proto__', '=', '');
    const value = fc.constantFrom('', '1', 'x=y', '\\s', 'a\\', '\\:;', 'v');
    const tag = fc.tuple(key, fc.option(value)).map(([k, v]) => (v === null ? k : `${k}=${v}`));
    const line = fc
      .array(tag, { minLength: 1, maxLength: 6 })
      .map((tags) => `@${tags.join(';')} :n!n@n PRIVMSG #c :hi`);
    fc.assert(
      fc.property(fc.array(line, { minLength: 2, maxLength: 20 }), (lines) => {
        for (const l of lines) same(l);
      }),
      { numRuns: 3000 },
    );
  });

  it('unescapes tag values like the character-by-character reference', () => {
    fc.assert(
      fc.property(word, (value) => {
        expect(unescapeTagValue(value)).toBe(referenceUnescape(value));
      }),
      { numRuns: 10_000 },
    );
  });
});
