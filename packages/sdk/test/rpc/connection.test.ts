// A web3.js Connection from the client sends every HTTP request through the pool: failover, no web3.js-side 429
// retries, and JSON-RPC errors still surfacing as web3.js's own error types.
import { Keypair, SendTransactionError } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { createRpcClient } from '../../src/rpc/rpc-client.js';
import { RpcError } from '../../src/rpc/rpc-error.js';
import { RpcFailure } from './fault-server.js';
import { deadUrl, useFaultServers } from './servers.js';

const start = useFaultServers();
const wallet = Keypair.generate().publicKey;

describe('connection()', () => {
  it('gets a balance through the pool when the first endpoint is dead', async () => {
    const [live] = await start(1);
    if (!live) throw new Error('server did not start');
    live.answer('getBalance', (params) => {
      expect(params).toEqual([wallet.toBase58(), { commitment: 'confirmed' }]);
      return { context: { slot: 10 }, value: 12_345 };
    });
    const rpc = createRpcClient({ urls: [await deadUrl(), live.url] });
    const connection = rpc.connection({ commitment: 'confirmed' });
    expect(await connection.getBalance(wallet)).toBe(12_345);
    const [dead, healthy] = rpc.metrics().endpoints;
    expect(dead?.errors.network).toBe(1);
    expect(healthy).toMatchObject({ requests: 1, successes: 1, retries: 1 });
  });

  it('fails over on 429 once, instead of web3.js retrying the same endpoint', async () => {
    const [a, b] = await start(2);
    if (!a || !b) throw new Error('servers did not start');
    a.inject({ kind: 'status', status: 429 }, { times: Infinity });
    b.answer('getSlot', { result: 77 });
    const connection = createRpcClient({ urls: [a.url, b.url] }).connection();
    expect(await connection.getSlot()).toBe(77);
    expect([a.requests.length, b.requests.length]).toEqual([1, 1]);
  });

  it('keeps web3.js error types for JSON-RPC errors, sent once', async () => {
    const [a, b] = await start(2);
    if (!a || !b) throw new Error('servers did not start');
    a.answer('sendTransaction', () => {
      throw new RpcFailure(-32002, 'Transaction simulation failed: Error processing Instruction 0', {
        err: { InstructionError: [0, { Custom: 6004 }] },
        logs: ['Program log: InvalidProof'],
      });
    });
    const connection = createRpcClient({ urls: [a.url, b.url] }).connection();
    const error = await connection.sendRawTransaction(new Uint8Array([1, ...Array(64).fill(7), 0])).catch((e) => e);
    expect(error).toBeInstanceOf(SendTransactionError);
    expect((error as SendTransactionError).logs).toEqual(['Program log: InvalidProof']);
    expect([a.requests.length, b.requests.length]).toEqual([1, 0]);
  });

  it('rejects with the pool error when every endpoint is down', async () => {
    const rpc = createRpcClient({ urls: [await deadUrl(), await deadUrl()], retries: 1, backoffBaseMs: 1 });
    const error = await rpc
      .connection()
      .getSlot()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ kind: 'network', method: 'getSlot', retryable: true, attempts: 2 });
    expect(rpc.metrics().endpoints.map((endpoint) => endpoint.errors.network)).toEqual([1, 1]);
  });
});
