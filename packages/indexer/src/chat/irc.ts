// A strict, allocation-light IRC line parser (RFC 1459 framing + IRCv3 message tags), shared by the live and replay
// sources so both see the same message for the same line.
//
// It runs once per chat line on the collector's main thread, so it walks the line in place with indexOf (which V8
// runs as a native memchr-style search) instead of splitting it: the only strings it allocates are the ones it
// returns.

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

const SPACE = 32;
const COLON = 58;
const EQUALS = 61;

/**
 * Commands handed out as these constants rather than as slices of the line: no allocation for the common ones, and
 * a consumer's `switch (message.command)` then compares one pointer instead of the characters.
 */
const KNOWN_COMMANDS = [
  'PRIVMSG',
  'USERNOTICE',
  'CLEARMSG',
  'CLEARCHAT',
  'ROOMSTATE',
  'USERSTATE',
  'NOTICE',
  'PING',
  'PONG',
  'JOIN',
  'PART',
  'RECONNECT',
] as const;

/** The character `\x` stands for in a tag value: `\:` `\s` `\\` `\r` `\n` are escapes, any other `x` is itself. */
function unescaped(code: number): string {
  switch (code) {
    case 58 /* : */:
      return ';';
    case 115 /* s */:
      return ' ';
    case 92 /* \ */:
      return '\\';
    case 114 /* r */:
      return '\r';
    case 110 /* n */:
      return '\n';
    default:
      return String.fromCharCode(code);
  }
}

/** `unescapeTagValue(text.slice(from, to))` without the intermediate slice; `backslash` is the first `\` in range. */
function unescapeRange(text: string, from: number, to: number, backslash: number): string {
  let out = '';
  let start = from;
  let at = backslash;
  // Whole runs between backslashes are appended at once, not character by character.
  while (at !== -1 && at < to) {
    out += text.slice(start, at);
    // A backslash at the very end of the value escapes nothing and is dropped.
    if (at + 1 < to) out += unescaped(text.charCodeAt(at + 1));
    start = at + 2;
    at = start < to ? text.indexOf('\\', start) : -1;
  }
  return start < to ? out + text.slice(start, to) : out;
}

/**
 * Unescapes an IRCv3 tag value: `\:` `\s` `\\` `\r` `\n` become `;` space `\` CR LF; a backslash before any other
 * character is dropped, and a lone trailing backslash too (as the IRCv3 spec says).
 *
 * @example unescapeTagValue('a\\sb\\:c') // 'a b;c'
 */
export function unescapeTagValue(value: string): string {
  const backslash = value.indexOf('\\');
  return backslash === -1 ? value : unescapeRange(value, 0, value.length, backslash);
}

/**
 * The keys of the tags of recent lines, by position. Twitch sends each kind of line with the same tags in the same
 * order, so the key at a position is nearly always the one before: reusing that string (already internalized by
 * the property store) skips a slice and a string-table lookup per tag. Bounded, so hostile lines with thousands of
 * tags cannot grow it.
 */
const recentKeys: string[] = [];
const RECENT_KEYS = 64;

/** An empty tags object: null prototype, so a `__proto__` or `constructor` tag from the wire is just a key. */
function emptyTags(): Record<string, string> {
  // Not Object.create(null), which V8 makes a hash-table (dictionary) object from the start: this one keeps fast
  // properties, so lines with the same tags share one hidden class and reading a tag is a fixed-offset load.
  return Object.setPrototypeOf({}, null) as Record<string, string>;
}

/**
 * The tags of `text[from, to)` (the part between `@` and the first space). Parts are separated by `;` (escapes do not
 * protect one: `\;` is a value ending in a backslash); a part splits at its first `=`; empty parts and empty keys are
 * skipped; a repeated key keeps its last value.
 */
function parseTags(text: string, from: number, to: number): Record<string, string> {
  const tags = emptyTags();
  // The next `=` and `\` at or after the current part, each found once and reused until passed, so that parts
  // without them (flags, plain values) never rescan the rest of the line. -2: not looked for yet.
  let eq = -2;
  let backslash = text.indexOf('\\', from);
  if (backslash >= to) backslash = -1;
  let start = from;
  let index = 0;
  while (start < to) {
    const recent = index < RECENT_KEYS ? recentKeys[index] : undefined;
    let key: string;
    let semi: number;
    if (
      recent !== undefined &&
      start + recent.length < to &&
      text.charCodeAt(start + recent.length) === EQUALS &&
      text.startsWith(recent, start)
    ) {
      // The key this position had on a recent line, then `=`. A key never holds `;`, `=` or a space, so the scan
      // below would find this same key and `=`; only the end of the value is left to find.
      key = recent;
      eq = start + recent.length;
      semi = text.indexOf(';', eq + 1);
      if (semi === -1 || semi > to) semi = to;
    } else {
      semi = text.indexOf(';', start);
      if (semi === -1 || semi > to) semi = to;
      if (eq !== -1 && eq < start) eq = text.indexOf('=', start);
      const keyEnd = eq === -1 || eq >= semi ? semi : eq;
      if (keyEnd === start) {
        // An empty part or an empty key.
        start = semi + 1;
        continue;
      }
      key = text.slice(start, keyEnd);
      if (index < RECENT_KEYS) recentKeys[index] = key;
      if (keyEnd === semi) {
        index++;
        tags[key] = '';
        start = semi + 1;
        continue;
      }
    }
    index++;
    if (backslash !== -1 && backslash <= eq) {
      backslash = text.indexOf('\\', eq + 1);
      if (backslash >= to) backslash = -1;
    }
    tags[key] =
      backslash !== -1 && backslash < semi ? unescapeRange(text, eq + 1, semi, backslash) : text.slice(eq + 1, semi);
    start = semi + 1;
  }
  return tags;
}

/** Whether `text[from, to)` is a command: one or more ASCII letters, or exactly three digits. */
function isCommand(text: string, from: number, to: number): boolean {
  if (to === from) return false;
  const first = text.charCodeAt(from);
  if (first >= 48 && first <= 57) {
    return (
      to - from === 3 &&
      text.charCodeAt(from + 1) >= 48 &&
      text.charCodeAt(from + 1) <= 57 &&
      text.charCodeAt(from + 2) >= 48 &&
      text.charCodeAt(from + 2) <= 57
    );
  }
  for (let i = from; i < to; i++) {
    // Folding the lowercase bit turns a-z into A-Z and leaves every non-letter outside A-Z.
    const upper = text.charCodeAt(i) & 0xffdf;
    if (upper < 65 || upper > 90) return false;
  }
  return true;
}

/** The command at `text[from, to)`, uppercased; one of KNOWN_COMMANDS when it is one, spelled in uppercase. */
function commandAt(text: string, from: number, to: number): string {
  const length = to - from;
  for (const known of KNOWN_COMMANDS) {
    if (known.length === length && text.startsWith(known, from)) return known;
  }
  return text.slice(from, to).toUpperCase();
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
  // The line is read in place up to `end`, its trailing CR LF (or lone CR or LF) left off without slicing it.
  let end = line.length;
  const last = line.charCodeAt(end - 1);
  if (last === 10) end -= line.charCodeAt(end - 2) === 13 ? 2 : 1;
  else if (last === 13) end -= 1;
  if (end === 0) return null;
  if (hasBefore(line, '\n', end) || hasBefore(line, '\r', end) || hasBefore(line, '\0', end)) return null;

  let pos = 0;
  let tags: Record<string, string>;
  if (line.charCodeAt(0) === 64 /* @ */) {
    const space = line.indexOf(' ');
    if (space === -1 || space >= end) return null;
    tags = parseTags(line, 1, space);
    pos = skipSpaces(line, space);
  } else {
    tags = emptyTags();
  }

  let prefix: string | null = null;
  if (line.charCodeAt(pos) === COLON) {
    const space = line.indexOf(' ', pos);
    if (space === -1 || space >= end || space === pos + 1) return null;
    prefix = line.slice(pos + 1, space);
    pos = skipSpaces(line, space);
  }

  let commandEnd = line.indexOf(' ', pos);
  if (commandEnd === -1 || commandEnd > end) commandEnd = end;
  if (!isCommand(line, pos, commandEnd)) return null;
  const command = commandAt(line, pos, commandEnd);

  const params: string[] = [];
  pos = skipSpaces(line, commandEnd);
  while (pos < end) {
    if (line.charCodeAt(pos) === COLON) {
      params.push(line.slice(pos + 1, end));
      break;
    }
    const space = line.indexOf(' ', pos);
    if (space === -1 || space >= end) {
      params.push(line.slice(pos, end));
      break;
    }
    params.push(line.slice(pos, space));
    pos = skipSpaces(line, space);
  }
  return { tags, prefix, command, params };
}

/** Whether `text` has `char` before index `end`. */
function hasBefore(text: string, char: string, end: number): boolean {
  const at = text.indexOf(char);
  return at !== -1 && at < end;
}

/** The index of the first non-space character after `from`. */
function skipSpaces(text: string, from: number): number {
  let pos = from;
  while (text.charCodeAt(pos) === SPACE) pos++;
  return pos;
}

/** The nick of a `nick!user@host` prefix (the whole prefix when it has no `!`), or null without a prefix. */
export function prefixNick(prefix: string | null): string | null {
  if (prefix === null) return null;
  const bang = prefix.indexOf('!');
  return bang === -1 ? prefix : prefix.slice(0, bang);
}
