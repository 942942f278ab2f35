// sendAndConfirm against a simulated chain: it re-sends the same signed bytes until the signature is confirmed, and
// declares expiry only once a node that saw the height past lastValidBlockHeight has no trace of it. It never signs
// and never asks for a blockhash.
import { base58Encode } from '@attention-oracle/core';
import { Keypair, SystemProgram, Transaction, TransactionMessage, VersionedTransaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { createRpcClient } from '../../src/rpc/rpc-client.js';
import { sendAndConfirm } from '../../src/rpc/send-and-confirm.js';
import { BlockhashExpiredError, TransactionFailedError } from '../../src/rpc/transaction-errors.js';
import { type FaultServer, RpcFailure } from './fault-server.js';
import { useFaultServers } from './servers.js';

const start = useFaultServers();
const payer = Keypair.generate();
const FAST = { pollEveryMs: 10, resendEveryMs: 40 };

function signedTransfer(blockhash = Keypair.generate().publicKey.toBase58()): Transaction {
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash });
  tx.add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1 }));
  tx.sign(payer);
  return tx;
}

interface ChainOptions {
  landAfterSends?: number;
  err?: unknown;
  height?: number;
  heightStep?: number;
  /** How many history lookups answer from a node 500 slots behind. */
  laggingHistoryLookups?: number;
}

/** One chain behind every given server: sends land after a number of sends, the height grows per poll. */
function simulateChain(servers: FaultServer[], options: ChainOptions = {}) {
  const state = {
    sends: [] as { encoded: string; config: Record<string, unknown> }[],
    height: options.height ?? 100,
    slot: 1_000,
    landedAt: undefined as number | undefined,
    historyLookups: 0,
  };
  for (const server of servers) {
    server.answer('sendTransaction', (params) => {
      const [encoded, config] = params as [string, Record<string, unknown>];
      state.sends.push({ encoded, config });
      if (options.landAfterSends !== undefined && state.sends.length >= options.landAfterSends) {
        state.landedAt ??= state.slot;
      }
      return base58Encode(Buffer.from(encoded, 'base64').subarray(1, 65));
    });
    server.answer('getSignatureStatuses', (params) => {
      const [, config] = params as [string[], { searchTransactionHistory: boolean }];
      let contextSlot = state.slot;
      if (config.searchTransactionHistory && ++state.historyLookups <= (options.laggingHistoryLookups ?? 0)) {
        contextSlot -= 500;
      }
      const status =
        state.landedAt === undefined
          ? null
          : { slot: state.landedAt, confirmations: 1, err: options.err ?? null, confirmationStatus: 'confirmed' };
      return { context: { slot: contextSlot }, value: [status] };
    });
    server.answer('getEpochInfo', () => {
      state.height += options.heightStep ?? 0;
      state.slot += 2;
      return { epoch: 0, slotIndex: 0, slotsInEpoch: 432_000, absoluteSlot: state.slot, blockHeight: state.height };
    });
  }
  return state;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sendAndConfirm', () => {
  it('re-sends the identical bytes until the transaction is confirmed, then stops', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    const chain = simulateChain([server], { landAfterSends: 3 });
    const tx = signedTransfer();
    const signatureBefore = Buffer.from(tx.signature ?? []);
    const rpc = createRpcClient({ urls: [server.url] });

    const result = await sendAndConfirm(rpc, tx, { lastValidBlockHeight: 10_000, ...FAST });

    expect(result).toEqual({ signature: base58Encode(signatureBefore), slot: chain.landedAt });
    const wire = tx.serialize().toString('base64');
    expect(chain.sends.map((send) => send.encoded)).toEqual([wire, wire, wire]);
    expect(chain.sends.map((send) => send.config.skipPreflight)).toEqual([false, true, true]);
    expect(chain.sends.every((send) => send.config.maxRetries === 0)).toBe(true);
    expect(Buffer.from(tx.signature ?? []).equals(signatureBefore)).toBe(true);
    expect(server.requestsFor('getLatestBlockhash')).toHaveLength(0);
    const requestsAtReturn = server.requests.length;
    await pause(150);
    expect(server.requests).toHaveLength(requestsAtReturn);
  });

  it('throws BlockhashExpiredError once the block height passes lastValidBlockHeight', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    const chain = simulateChain([server], { height: 100, heightStep: 1 });
    const tx = signedTransfer();
    const rpc = createRpcClient({ urls: [server.url] });

    const error = await sendAndConfirm(rpc, tx, { lastValidBlockHeight: 103, ...FAST }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BlockhashExpiredError);
    expect(error).toMatchObject({
      signature: base58Encode(tx.signature ?? new Uint8Array()),
      lastValidBlockHeight: 103,
      blockHeight: 104,
    });
    expect(new Set(chain.sends.map((send) => send.encoded))).toEqual(new Set([tx.serialize().toString('base64')]));
    expect(server.requestsFor('getLatestBlockhash')).toHaveLength(0);
    const requestsAtThrow = server.requests.length;
    await pause(150);
    expect(server.requests).toHaveLength(requestsAtThrow);
  });

  it('does not declare expiry from a node that has not seen the expiring height yet', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    const chain = simulateChain([server], { height: 200, laggingHistoryLookups: 2 });
    const error = await sendAndConfirm(createRpcClient({ urls: [server.url] }), signedTransfer(), {
      lastValidBlockHeight: 150,
      ...FAST,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockhashExpiredError);
    expect(chain.historyLookups).toBe(3);
  });

  it('expires a transaction built on a stale endpoint blockhash without fetching a new one', async () => {
    const [stale, live] = await start(2);
    if (!stale || !live) throw new Error('servers did not start');
    const chain = simulateChain([stale, live], { height: 100 });
    const old = Keypair.generate().publicKey.toBase58();
    stale.inject(
      { kind: 'stale-blockhash', blockhash: old, lastValidBlockHeight: 50, slot: 400 },
      { method: 'getLatestBlockhash', times: Infinity },
    );
    for (const server of [stale, live])
      server.inject({ kind: 'blockhash-not-found' }, { method: 'sendTransaction', times: Infinity });
    const rpc = createRpcClient({ urls: [stale.url, live.url], backoffBaseMs: 1 });

    const { blockhash, lastValidBlockHeight } = await rpc.connection().getLatestBlockhash();
    expect(blockhash).toBe(old);
    const tx = signedTransfer(blockhash);
    const error = await sendAndConfirm(rpc, tx, { lastValidBlockHeight, ...FAST }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BlockhashExpiredError);
    const sent = [...stale.requestsFor('sendTransaction'), ...live.requestsFor('sendTransaction')];
    expect(sent.length).toBeGreaterThan(1); // retried across the pool...
    expect(
      new Set(sent.map((request) => JSON.stringify((request.payload as { params: unknown }).params))),
    ).toHaveProperty('size', 1); // ...same bytes
    expect(stale.requestsFor('getLatestBlockhash').length + live.requestsFor('getLatestBlockhash').length).toBe(1);
    expect(chain.sends).toHaveLength(0);
  });

  it('throws TransactionFailedError when the transaction landed with an error', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    const err = { InstructionError: [0, { Custom: 6004 }] };
    const chain = simulateChain([server], { landAfterSends: 1, err });
    const error = await sendAndConfirm(createRpcClient({ urls: [server.url] }), signedTransfer(), {
      lastValidBlockHeight: 10_000,
      ...FAST,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionFailedError);
    expect(error).toMatchObject({ stage: 'execution', err, slot: chain.landedAt });
  });

  it('throws TransactionFailedError at once when preflight fails, sent once and never polled', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    simulateChain([server]);
    const data = { err: { InstructionError: [0, { Custom: 1 }] }, logs: ['Program log: insufficient funds'] };
    server.answer('sendTransaction', () => {
      throw new RpcFailure(-32002, 'Transaction simulation failed: Error processing Instruction 0', data);
    });
    const error = await sendAndConfirm(createRpcClient({ urls: [server.url] }), signedTransfer(), {
      lastValidBlockHeight: 10_000,
      ...FAST,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionFailedError);
    expect(error).toMatchObject({ stage: 'preflight', err: data.err, logs: data.logs });
    expect(server.requestsFor('sendTransaction')).toHaveLength(1);
    expect(server.requestsFor('getSignatureStatuses')).toHaveLength(0);
  });

  it('treats "already processed" at preflight as sent and confirms it', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    const chain = simulateChain([server]);
    chain.landedAt = 990;
    server.answer('sendTransaction', () => {
      throw new RpcFailure(-32002, 'Transaction simulation failed: This transaction has already been processed', {
        err: 'AlreadyProcessed',
        logs: [],
      });
    });
    const tx = signedTransfer();
    const result = await sendAndConfirm(createRpcClient({ urls: [server.url] }), tx.serialize(), {
      lastValidBlockHeight: 10_000,
      ...FAST,
    });
    expect(result).toEqual({ signature: base58Encode(tx.signature ?? new Uint8Array()), slot: 990 });
  });

  it('refuses an unsigned transaction before sending anything', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    const message = new TransactionMessage({
      payerKey: payer.publicKey,
      recentBlockhash: Keypair.generate().publicKey.toBase58(),
      instructions: [SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: payer.publicKey, lamports: 1 })],
    }).compileToV0Message();
    const unsigned = new VersionedTransaction(message);
    await expect(
      sendAndConfirm(createRpcClient({ urls: [server.url] }), unsigned, { lastValidBlockHeight: 1 }),
    ).rejects.toThrow(/not signed/);
    expect(server.requests).toHaveLength(0);
  });
});
