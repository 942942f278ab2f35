// UUIDs as event ids: Twitch's own (validated, lowercased) and ones derived from a line's content.
import { keccak256, toHex } from '@attention-oracle/core';

/** Where the hyphens of `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` are; every other character is a hex digit. */
function isHyphenAt(index: number): boolean {
  return index === 8 || index === 13 || index === 18 || index === 23;
}

/**
 * The canonical (lowercase) form of a UUID string, or null when `value` is not one: 36 characters, hyphens at 8, 13,
 * 18 and 23, hex digits (either case) elsewhere; no version or variant bits are checked.
 *
 * @example parseUuid('9B3B2A5C-0000-4000-8000-000000000001') // '9b3b2a5c-0000-4000-8000-000000000001'
 */
export function parseUuid(value: string | undefined): string | null {
  // One pass over the characters rather than a regular expression: this runs for every chat line.
  if (typeof value !== 'string' || value.length !== 36) return null;
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const code = value.charCodeAt(i);
    if (isHyphenAt(i)) {
      if (code !== 45 /* - */) return null;
    } else if (code >= 97 /* a */ && code <= 102 /* f */) {
      // The common case first: Twitch sends lowercase ids.
    } else if (code >= 48 /* 0 */ && code <= 57 /* 9 */) {
      // A digit.
    } else if (code >= 65 /* A */ && code <= 70 /* F */) {
      upper = true;
    } else {
      return null;
    }
  }
  // A copy either way, never `value` itself: a tag value is a slice that keeps its whole line alive (V8 shares the
  // characters), and ids are kept long after the line (the dedupe window holds the last 20,000). Lowercasing makes
  // a copy; the concatenation makes one when there is nothing to lowercase.
  return upper ? value.toLowerCase() : ` ${value}`.slice(1);
}

/**
 * A deterministic UUID for `content`: the first 16 bytes of keccak256(content) with the RFC 9562 version-8 (custom)
 * and variant bits set. Lines without a Twitch id (CLEARCHAT, CLEARMSG) get the same id on every connection that sees
 * them, so copies deduplicate like message ids do.
 *
 * @example uuidFromContent('clearchat:1:2:3') // 'xxxxxxxx-xxxx-8xxx-[89ab]xxx-xxxxxxxxxxxx'
 */
export function uuidFromContent(content: string): string {
  const bytes = keccak256(content).slice(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
