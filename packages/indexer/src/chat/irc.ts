// A strict, allocation-light IRC line parser (RFC 1459 framing + IRCv3 message tags), shared by the live and replay
// sources so both see the same message for the same line.

/** One parsed IRC line. */
export interface IrcMessage {
  /** IRCv3 tags with their values unescaped; a tag without a value (`@flag;...`) maps to ''. */
  tags: Record<string, string>;
  /** The prefix without its leading ':' (`login!login@login.tmi.twitch.tv`), or null when absent. */
  prefix: string | null;
  /** The command, uppercased (`PRIVMSG`, `USERNOTICE`, `376`). */
  command: string;
  /** Middle parameters, then the trailing one (without its ':') when present. */
  params: string[];
}

const COMMAND = /^(?:[A-Za-z]+|[0-9]{3})$/;
const TAG_ESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

/**
 * Unescapes an IRCv3 tag value: `\:` `\s` `\\` `\r` `\n` become `;` space `\` CR LF; a backslash before any other
 * character is dropped, and a lone trailing backslash too (as the IRCv3 spec says).
 *
 * @example unescapeTagValue('a\\sb\\:c') // 'a b;c'
 */
export function unescapeTagValue(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = value[++i];
    if (next !== undefined) out += TAG_ESCAPES[next] ?? next;
  }
  return out;
}

function parseTags(raw: string): Record<string, string> {
  // A null prototype, so a `__proto__` or `constructor` tag from the wire is just a key.
  const tags = Object.create(null) as Record<string, string>;
  for (const part of raw.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (key === '') continue;
    tags[key] = eq === -1 ? '' : unescapeTagValue(part.slice(eq + 1));
  }
  return tags;
}

/**
 * Parses one IRC line (a trailing CR LF is allowed). Returns null for anything that is not a well-formed line: empty
 * input, CR/LF/NUL inside the line, tags or a prefix with nothing after them, an empty prefix, or a command that is
 * neither letters nor a 3-digit numeric. Never throws, whatever the input.
 *
 * @example parseIrcLine('@id=1 :a!a@a.tmi.twitch.tv PRIVMSG #chan :hi there')
 * // { tags: { id: '1' }, prefix: 'a!a@a.tmi.twitch.tv', command: 'PRIVMSG', params: ['#chan', 'hi there'] }
 */
export function parseIrcLine(line: string): IrcMessage | null {
  if (typeof line !== 'string') return null;
  let end = line.length;
  if (line.endsWith('\r\n')) end -= 2;
  else if (line.endsWith('\n') || line.endsWith('\r')) end -= 1;
  const text = end === line.length ? line : line.slice(0, end);
  if (text === '' || /[\r\n\0]/.test(text)) return null;

  let pos = 0;
  let tags = Object.create(null) as Record<string, string>;
  if (text.charCodeAt(0) === 64 /* @ */) {
    const space = text.indexOf(' ');
    if (space === -1) return null;
    tags = parseTags(text.slice(1, space));
    pos = skipSpaces(text, space);
  }

  let prefix: string | null = null;
  if (text.charCodeAt(pos) === 58 /* : */) {
    const space = text.indexOf(' ', pos);
    if (space === -1 || space === pos + 1) return null;
    prefix = text.slice(pos + 1, space);
    pos = skipSpaces(text, space);
  }

  const commandEnd = text.indexOf(' ', pos);
  const command = text.slice(pos, commandEnd === -1 ? text.length : commandEnd);
  if (!COMMAND.test(command)) return null;

  const params: string[] = [];
  pos = commandEnd === -1 ? text.length : skipSpaces(text, commandEnd);
  while (pos < text.length) {
    if (text.charCodeAt(pos) === 58 /* : */) {
      params.push(text.slice(pos + 1));
      break;
    }
    const space = text.indexOf(' ', pos);
    if (space === -1) {
      params.push(text.slice(pos));
      break;
    }
    params.push(text.slice(pos, space));
    pos = skipSpaces(text, space);
  }
  return { tags, prefix, command: command.toUpperCase(), params };
}

/** The index of the first non-space character after `from`. */
function skipSpaces(text: string, from: number): number {
  let pos = from;
  while (text.charCodeAt(pos) === 32) pos++;
  return pos;
}

/** The nick of a `nick!user@host` prefix (the whole prefix when it has no `!`), or null without a prefix. */
export function prefixNick(prefix: string | null): string | null {
  if (prefix === null) return null;
  const bang = prefix.indexOf('!');
  return bang === -1 ? prefix : prefix.slice(0, bang);
}
