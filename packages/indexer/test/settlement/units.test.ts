// The pieces without a database: cap arithmetic, the shared blockhash cache and the batched confirmation poller.
import type { RpcBatchRequest, RpcBatchResult, RpcClient } from '@attention-oracle/sdk';
import { describe, expect, it } from 'vitest';
import { capClaim, checkCaps, createBlockhashCache } from '../../src/settlement/index.js';
import { createSignatureWatcher } from '../../src/settlement/signature-watcher.js';

const caps = { perClaim: 100n, perWalletPerDay: 250n, perDay: 1000n };

describe('capClaim', () => {
  it('pays the smallest of the delta, the per-claim cap and what is left of either daily cap', () => {
    expect(capClaim(40n, caps, { wallet: 0n, total: 0n })).toEqual({ amount: 40n });
    expect(capClaim(400n, caps, { wallet: 0n, total: 0n })).toEqual({ amount: 100n });
    expect(capClaim(400n, caps, { wallet: 200n, total: 200n })).toEqual({ amount: 50n });
    expect(capClaim(400n, caps, { wallet: 0n, total: 970n })).toEqual({ amount: 30n });
  });

  it('names the daily cap that is used up, the wallet first', () => {
    expect(capClaim(1n, caps, { wallet: 250n, total: 1000n })).toEqual({ cap: 'per-day-wallet' });
    expect(capClaim(1n, caps, { wallet: 0n, total: 1000n })).toEqual({ cap: 'per-day-total' });
    expect(capClaim(1n, { ...caps, perWalletPerDay: 10n }, { wallet: 11n, total: 0n })).toEqual({
      cap: 'per-day-wallet',
    });
  });

  it('refuses caps outside 1..2^64-1', () => {
    expect(checkCaps(caps)).toEqual(caps);
    expect(() => checkCaps({ ...caps, perDay: 0n })).toThrow(/perDay must be a bigint in 1..2\^64-1, got 0/);
    expect(() => checkCaps({ ...caps, perWalletPerDay: 1n << 64n })).toThrow(/perWalletPerDay/);
    expect(() => checkCaps({ ...caps, perClaim: 5 as unknown as bigint })).toThrow(/perClaim/);
  });
});

/** A client answering batches from `answer`, recording each batch's methods. */
function fakeClient(answer: (request: RpcBatchRequest) => unknown) {
  const batches: string[][] = [];
  const client: Pick<RpcClient, 'batch'> = {
    async batch<T>(requests: readonly RpcBatchRequest[]): Promise<RpcBatchResult<T>[]> {
      batches.push(requests.map((r) => r.method));
      await new Promise((resolve) => setTimeout(resolve, 5));
      return requests.map((request) => ({ ok: true, result: answer(request) as T }));
    },
  };
  return { client, batches };
}

describe('the blockhash cache', () => {
  it('serves concurrent callers from one request and refreshes once the value is older than maxAgeMs', async () => {
    let n = 0;
    const { client, batches } = fakeClient((request) =>
      request.method === 'getLatestBlockhash'
        ? { context: { slot: 1 }, value: { blockhash: `hash-${++n}`, lastValidBlockHeight: 150 + n } }
        : { epoch: 7 },
    );
    const cache = createBlockhashCache(client, { maxAgeMs: 50 });
    const first = await Promise.all(Array.from({ length: 100 }, () => cache.get()));
    expect(new Set(first.map((b) => b.blockhash))).toEqual(new Set(['hash-1']));
    expect(first[0]).toEqual({ blockhash: 'hash-1', lastValidBlockHeight: 151, epoch: 7n });
    expect(batches).toEqual([['getLatestBlockhash', 'getEpochInfo']]);
    expect((await cache.get()).blockhash).toBe('hash-1');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await cache.get()).blockhash).toBe('hash-2');
    expect(batches).toHaveLength(2);
  });
});

describe('the signature watcher', () => {
  it('asks about every watched signature in one batched round and answers each by its own status', async () => {
    const landed: Record<string, unknown> = {
      ok: { slot: 9, confirmations: null, err: null, confirmationStatus: 'confirmed' },
      bad: {
        slot: 10,
        confirmations: null,
        err: { InstructionError: [1, { Custom: 1 }] },
        confirmationStatus: 'finalized',
      },
      early: { slot: 11, confirmations: 0, err: null, confirmationStatus: 'processed' },
    };
    const { client, batches } = fakeClient((request) => {
      if (request.method === 'getBlockHeight') return 500;
      if (request.method === 'sendTransaction') return 'resent';
      const [signatures] = request.params as [string[]];
      return { context: { slot: 500 }, value: signatures.map((s) => landed[s] ?? null) };
    });
    const watcher = createSignatureWatcher(client, { pollEveryMs: 10, resendEveryMs: 0, timeoutMs: 200 });
    const wire = new Uint8Array([1, 2, 3]);
    const outcomes = await Promise.all([
      watcher.watch({ signature: 'ok', wire, lastValidBlockHeight: 600 }),
      watcher.watch({ signature: 'bad', wire, lastValidBlockHeight: 600 }),
      watcher.watch({ signature: 'gone', wire, lastValidBlockHeight: 499 }),
      watcher.watch({ signature: 'early', wire, lastValidBlockHeight: 600 }),
      watcher.watch({ signature: 'unseen', wire, lastValidBlockHeight: 600 }),
    ]);
    expect(outcomes).toEqual([
      { landed: true, slot: 9, err: null },
      { landed: true, slot: 10, err: { InstructionError: [1, { Custom: 1 }] } },
      { landed: false, reason: 'expired' },
      { landed: false, reason: 'timeout' },
      { landed: false, reason: 'timeout' },
    ]);
    expect(batches[0]).toEqual(['getSignatureStatuses', 'getBlockHeight']);
    // Only the unseen, still valid transaction is re-sent (the processed one is on chain already).
    expect(batches[1]).toEqual(['sendTransaction']);
    expect(watcher.size).toBe(0);
    watcher.close();
    expect(await watcher.watch({ signature: 'late', wire, lastValidBlockHeight: 600 })).toEqual({
      landed: false,
      reason: 'closed',
    });
  });
});
