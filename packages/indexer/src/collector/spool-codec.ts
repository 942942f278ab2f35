// One spooled event per line, tab-separated: cheap to write and parse, and a torn tail is simply an unfinished line.
import type { ChatEvent, ChatEventKind } from '../chat/event.js';

/** An event as spooled: the event and the collector's watermark clock when it was received (unix ms). */
export interface SpooledEvent {
  event: ChatEvent;
  watermark: number;
}

const KINDS = new Set<ChatEventKind>([
  'message',
  'sub',
  'resub',
  'subgift',
  'submysterygift',
  'raid',
  'clearmsg',
  'clearchat',
]);

/** The spool line of one event, newline included. Fields never contain tabs (ids, logins and numbers only). */
export function encodeSpoolLine({ event: e, watermark }: SpooledEvent): string {
  return `${watermark}\t${e.id}\t${e.kind}\t${e.channelId}\t${e.channelLogin ?? ''}\t${e.userId ?? ''}\t${e.login ?? ''}\t${e.sentAt}\t${e.bits}\t${e.count}\t${e.targetId ?? ''}\n`;
}

/** The event of a spool line (without its newline), or null when the line is damaged. */
export function decodeSpoolLine(line: string): SpooledEvent | null {
  const f = line.split('\t');
  if (f.length !== 11) return null;
  const [watermark, id, kind, channelId, channelLogin, userId, login, sentAt, bits, count, targetId] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const numbers = [Number(watermark), Number(sentAt), Number(bits), Number(count)];
  if (!KINDS.has(kind as ChatEventKind) || !id || !channelId || numbers.some((n) => !Number.isSafeInteger(n))) {
    return null;
  }
  return {
    watermark: numbers[0] as number,
    event: {
      id,
      kind: kind as ChatEventKind,
      channelId,
      channelLogin: channelLogin || null,
      userId: userId || null,
      login: login || null,
      sentAt: numbers[1] as number,
      bits: numbers[2] as number,
      count: numbers[3] as number,
      targetId: targetId || null,
    },
  };
}
