// UUIDs as event ids: Twitch's own (validated, lowercased) and ones derived from a line's content.
import { keccak256, toHex } from '@attention-oracle/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The canonical (lowercase) form of a UUID string, or null when `value` is not one.
 *
 * @example parseUuid('9B3B2A5C-0000-4000-8000-000000000001') // '9b3b2a5c-0000-4000-8000-000000000001'
 */
export function parseUuid(value: string | undefined): string | null {
  return value !== undefined && UUID.test(value) ? value.toLowerCase() : null;
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
