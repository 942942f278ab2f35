// Subscriptions over SSE through @trpc/client's httpSubscriptionLink against the running server: published roots and
// a viewer's allocations, resuming with lastEventId, typed errors for bad input, and a clean end on server close.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { createTRPCClient, httpSubscriptionLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import { waitFor } from '../../../indexer/test/wait-for.js';
import type { AppRouter } from '../../src/routers/app.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer, storeRoot, testEnv } from '../helpers.js';
import { FetchEventSource } from './event-source.js';

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate roots, root_blobs, epochs, allocations, users`);
}

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

function clientOf(server: RunningServer): Client {
  return createTRPCClient<AppRouter>({
    links: [httpSubscriptionLink({ url: `${server.url}/trpc`, EventSource: FetchEventSource })],
  });
}

/** Collects what a subscription delivers. */
function collect<T>(
  subscribe: (handlers: {
    onStarted: () => void;
    onData: (data: { id: string; data: T }) => void;
    onError: (error: unknown) => void;
    onComplete: () => void;
  }) => { unsubscribe(): void },
) {
  const events: { id: string; data: T }[] = [];
  const errors: unknown[] = [];
  let completed = false;
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const subscription = subscribe({
    onStarted: () => markStarted(),
    onData: (event) => events.push(event),
    onError: (error) => errors.push(error),
    onComplete: () => {
      completed = true;
    },
  });
  return {
    events,
    errors,
    started,
    completed: () => completed,
    stop: () => subscription.unsubscribe(),
  };
}

/** An epoch, sealed, with allocations [channel, viewer, amount]. */
async function sealEpoch(db: DatabaseHandle, epoch: number, allocations: readonly [number, string, bigint][]) {
  await db.transaction(async (query) => {
    await query(sql`insert into epochs (epoch, length_seconds) values (${epoch}::bigint, 3600)`);
    for (const [channel, viewer, amount] of allocations) {
      await query(sql`insert into allocations (epoch, channel_id, viewer, points, amount)
        values (${epoch}::bigint, ${channel}::bigint, ${viewer}, 1, ${amount.toString()}::numeric)`);
    }
    await query(sql`update epochs set status = 'sealed', sealed_at = now() where epoch = ${epoch}::bigint`);
  });
}

const amounts = new Map([[1, 100n]]);
const H = 3600;
const E0 = 1_700_000_000 - (1_700_000_000 % H);

describe.each(backends)('subscriptions on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  let server: RunningServer;
  let client: Client;
  beforeAll(async () => {
    server = await startTestServer(db()); // ROOTS_POLL_MS is an hour: the tests poll the hub themselves
    client = clientOf(server);
  });
  afterAll(() => server.close());
  const poll = () => server.deps.subscriptions.poll();

  it('rootPublished delivers a root published after subscribing, once, with its seq as event id', async () => {
    await storeRoot(db(), { seq: 1n, amounts, publishSlot: 10n });
    const sub = collect<{ seq: string; root: string; slot: string | null; wallets: number; total: string }>((h) =>
      client.subscriptions.rootPublished.subscribe(undefined, h),
    );
    await sub.started;
    await storeRoot(db(), {
      seq: 2n,
      amounts: new Map([
        [1, 100n],
        [2, 50n],
      ]),
      publishSlot: 20n,
    });
    await storeRoot(db(), { seq: 3n, amounts, status: 'built' }); // not published: never announced
    await poll();
    await poll();
    await storeRoot(db(), { seq: 4n, amounts, publishSlot: 40n });
    await poll();
    await waitFor(() => sub.events.length >= 2, 'two roots');
    sub.stop();
    expect(sub.events.map((e) => e.id)).toEqual(['2', '4']);
    expect(sub.events[0]?.data).toMatchObject({ seq: '2', slot: '20', wallets: 2, total: '150' });
    expect(sub.events[0]?.data.root).toMatch(/^[0-9a-f]{64}$/);
    expect(sub.errors).toEqual([]);
  });

  it('rootPublished resumes after lastEventId with what was missed, then goes on live', async () => {
    const first = collect<{ seq: string }>((h) => client.subscriptions.rootPublished.subscribe(undefined, h));
    await first.started;
    await storeRoot(db(), { seq: 1n, amounts });
    await poll();
    await waitFor(() => first.events.length === 1, 'root 1');
    first.stop();
    const lastEventId = first.events[0]?.id;
    expect(lastEventId).toBe('1');
    // Published while the bot was away.
    await storeRoot(db(), { seq: 2n, amounts });
    await storeRoot(db(), { seq: 3n, amounts });
    const again = collect<{ seq: string }>((h) => client.subscriptions.rootPublished.subscribe({ lastEventId }, h));
    await again.started;
    await storeRoot(db(), { seq: 4n, amounts });
    await poll();
    await waitFor(() => again.events.length >= 3, 'roots 2, 3 and 4');
    again.stop();
    expect(again.events.map((e) => e.data.seq)).toEqual(['2', '3', '4']);
  });

  it('plain SSE (no tRPC client) resumes from a Last-Event-ID header, as a reconnecting EventSource sends it', async () => {
    for (const seq of [1n, 2n, 3n]) await storeRoot(db(), { seq, amounts });
    const abort = new AbortController();
    const res = await fetch(`${server.url}/trpc/subscriptions.rootPublished`, {
      headers: { accept: 'text/event-stream', 'last-event-id': '1' },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      if (/^id: ?3$/m.test(text)) break;
    }
    abort.abort();
    const ids = [...text.matchAll(/^id: ?(\d+)$/gm)].map((m) => m[1]);
    expect(ids).toEqual(['2', '3']);
    const data = [...text.matchAll(/^data: ?(\{.*\})$/gm)].map((m) => JSON.parse(m[1] as string) as { seq: string });
    expect(data.filter((d) => d.seq !== undefined).map((d) => d.seq)).toEqual(['2', '3']);
  });

  it('viewerAllocations delivers a viewer their allocations of each newly sealed epoch, by login or user id', async () => {
    await db().query(sql`insert into users (user_id, login) values (1001, 'alice')`);
    await sealEpoch(db(), E0, [[5, '1001', 7n]]); // sealed before subscribing: not announced
    const byLogin = collect<{ epoch: number; allocations: { channel: string; amount: { gross: string } }[] }>((h) =>
      client.subscriptions.viewerAllocations.subscribe({ login: 'Alice' }, h),
    );
    const byId = collect<{ epoch: number; total: { gross: string; net: string | null } }>((h) =>
      client.subscriptions.viewerAllocations.subscribe({ userId: '1001' }, h),
    );
    const other = collect<{ epoch: number }>((h) =>
      client.subscriptions.viewerAllocations.subscribe({ userId: '2002' }, h),
    );
    await Promise.all([byLogin.started, byId.started, other.started]);
    await sealEpoch(db(), E0 + H, [
      [5, '1001', 30n],
      [9, '1001', 12n],
      [5, '3003', 99n],
    ]);
    await sealEpoch(db(), E0 + 2 * H, [[5, '2002', 4n]]);
    await poll();
    await waitFor(() => byLogin.events.length === 1 && byId.events.length === 1, 'alice allocations');
    await waitFor(() => other.events.length === 1, 'the other viewer allocations');
    expect(byLogin.events[0]?.id).toBe(String(E0 + H));
    expect(byLogin.events[0]?.data).toMatchObject({
      epoch: E0 + H,
      allocations: [
        { channel: '5', amount: { gross: '30' } },
        { channel: '9', amount: { gross: '12' } },
      ],
    });
    expect(byId.events[0]?.data.total).toEqual({ gross: '42', net: null });
    expect(other.events.map((e) => e.data.epoch)).toEqual([E0 + 2 * H]);
    for (const sub of [byLogin, byId, other]) sub.stop();

    // Reconnecting after the first epoch gets the missed one.
    await sealEpoch(db(), E0 + 3 * H, [[5, '1001', 1n]]);
    const again = collect<{ epoch: number }>((h) =>
      client.subscriptions.viewerAllocations.subscribe({ userId: '1001', lastEventId: String(E0) }, h),
    );
    await waitFor(() => again.events.length === 2, 'the missed epochs');
    again.stop();
    expect(again.events.map((e) => e.data.epoch)).toEqual([E0 + H, E0 + 3 * H]);
  });

  it('bad input is a typed 400 and an unknown login a 404, over the stream', async () => {
    const cases = [
      [{ userId: 'abc' }, 'BAD_REQUEST', 400],
      [{ login: 'alice', userId: '1' }, 'BAD_REQUEST', 400],
      [{ userId: '1', lastEventId: 'x1' }, 'BAD_REQUEST', 400],
      [{ login: 'nobody_here' }, 'NOT_FOUND', 404],
    ] as const;
    for (const [input, code, status] of cases) {
      const sub = collect((h) => client.subscriptions.viewerAllocations.subscribe(input, h));
      await waitFor(() => sub.errors.length === 1, `the error for ${JSON.stringify(input)}`);
      sub.stop();
      const error = sub.errors[0];
      expect(error).toBeInstanceOf(TRPCClientError);
      const data = (error as TRPCClientError<AppRouter>).data as { code: string; httpStatus: number };
      expect(data.code).toBe(code);
      expect(data.httpStatus).toBe(status);
      expect((error as Error).message).not.toMatch(/select|stack|\.ts:\d+/i);
    }
    const bad = collect((h) => client.subscriptions.rootPublished.subscribe({ lastEventId: '-1' }, h));
    await waitFor(() => bad.errors.length === 1, 'the rootPublished error');
    bad.stop();
    expect(((bad.errors[0] as TRPCClientError<AppRouter>).data as { code: string }).code).toBe('BAD_REQUEST');
  });
});

describe.each(backends)('subscription poller and shutdown on %s', (_name, open) => {
  const db = useDatabase(open, reset);

  it('the poller finds new roots on its own interval; server close ends every subscription and cuts the streams', async () => {
    const server = await startTestServer(db(), testEnv({ ROOTS_POLL_MS: '20' }));
    const client = clientOf(server);
    const subs = [1, 2].map(() =>
      collect<{ seq: string }>((h) => client.subscriptions.rootPublished.subscribe(undefined, h)),
    );
    await Promise.all(subs.map((s) => s.started));
    await storeRoot(db(), { seq: 7n, amounts });
    await waitFor(() => subs.every((s) => s.events.length === 1), 'root 7 on both subscriptions');
    const hub = server.deps.subscriptions;
    expect(hub.size()).toEqual({ roots: 2, viewers: 0 });
    await server.close();
    expect(hub.size()).toEqual({ roots: 0, viewers: 0 });
    // Cut without tRPC's `return` event: a client reconnects (with lastEventId) rather than considering it finished.
    await waitFor(() => subs.every((s) => s.errors.length === 1), 'both streams cut');
    expect(subs.some((s) => s.completed())).toBe(false);
    expect(subs.map((s) => s.events.map((e) => e.id))).toEqual([['7'], ['7']]);
  });
});
