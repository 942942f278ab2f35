/** Stored codes of chat event kinds. Codes are never reused or renumbered. */
export const CHAT_EVENT_KIND_CODES = {
  message: 1,
  sub: 2,
  resub: 3,
  subgift: 4,
  submysterygift: 5,
  raid: 6,
  clearmsg: 7,
  clearchat: 8,
} as const;

export type ChatEventKindName = keyof typeof CHAT_EVENT_KIND_CODES;
