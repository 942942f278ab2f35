import { describe, expect, it } from 'vitest';
import { ConnectionGate } from '../../src/chat/connection-gate.js';
import type { ChatEvent } from '../../src/chat/event.js';
import { EventDelivery } from '../../src/chat/event-delivery.js';
import { RecentIds } from '../../src/chat/recent-ids.js';
import { emptySourceStats, silentLogger } from '../../src/chat/source.js';
import { waitFor } from '../wait-for.js';

const event = (n: number): ChatEvent => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  kind: 'message',
  channelId: '1',
  channelLogin: 'chan',
  userId: '2',
  login: 'viewer',
  sentAt: 1_700_000_000_000 + n,
  bits: 0,
  count: 0,
  targetId: null,
});

describe('EventDelivery', () => {
  it('delivers in order, one batch at a time, retrying a failing sink', async () => {
    const stats = emptySourceStats();
    const delivered: number[] = [];
    let failures = 2;
    let inFlight = 0;
    const delivery = new EventDelivery({
      stats,
      logger: silentLogger,
      retryMs: 5,
      maxBatch: 3,
      sink: async (events) => {
        inFlight++;
        expect(inFlight).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        if (failures-- > 0) throw new Error('spool busy');
        delivered.push(...events.map((e) => e.sentAt - 1_700_000_000_000));
      },
    });
    for (let n = 0; n < 10; n++) delivery.push([event(n)]);
    await waitFor(() => delivered.length === 10, 'every event');
    expect(delivered).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stats).toMatchObject({ events: 10, pendingEvents: 0, sinkErrors: 2, droppedEvents: 0 });
    await delivery.close();
  });

  it('drops and counts what overflows, and what a failing sink leaves at close, without rejecting', async () => {
    const stats = emptySourceStats();
    const delivery = new EventDelivery({
      stats,
      logger: silentLogger,
      retryMs: 60_000,
      maxPending: 5,
      sink: () => {
        throw new Error('disk full');
      },
    });
    delivery.push([event(1), event(2), event(3)]);
    delivery.push([event(4), event(5), event(6)]);
    expect(stats).toMatchObject({ pendingEvents: 3, droppedEvents: 3 });
    await delivery.close();
    expect(stats).toMatchObject({ events: 0, pendingEvents: 0, droppedEvents: 6 });
    expect(stats.sinkErrors).toBeGreaterThanOrEqual(1);
    delivery.push([event(7)]);
    expect(stats.droppedEvents).toBe(7);
  });
});

describe('RecentIds and ConnectionGate', () => {
  it('remembers only the most recent keys', () => {
    const recent = new RecentIds(3);
    expect(['a', 'b', 'c', 'a'].map((k) => recent.add(k))).toEqual([true, true, true, false]);
    expect(recent.add('d')).toBe(true);
    expect(recent.has('a')).toBe(false);
    expect(recent.size).toBe(3);
    expect(() => new RecentIds(0)).toThrow(/positive/);
  });

  it('hands out slots in order and gives up when aborted', async () => {
    const gate = new ConnectionGate(60_000);
    expect(await gate.acquire()).toBe(true);
    const aborted = new AbortController();
    const waiting = gate.acquire(aborted.signal);
    aborted.abort();
    expect(await waiting).toBe(false);
  });
});
