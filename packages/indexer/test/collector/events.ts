// Test events for collector tests.
import { randomUUID } from 'node:crypto';
import type { ChatEvent } from '../../src/chat/event.js';

/** A chat message event in channel `channelId` by `userId` at `sentAt` (ms). */
export function messageEvent(sentAt: number, userId = '1001', channelId = '42'): ChatEvent {
  return {
    id: randomUUID(),
    kind: 'message',
    channelId,
    channelLogin: 'somechannel',
    userId,
    login: `user${userId}`,
    sentAt,
    bits: 0,
    count: 0,
    targetId: null,
  };
}
