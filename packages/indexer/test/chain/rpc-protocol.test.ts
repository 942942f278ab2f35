// The JSON-RPC surface itself: errors, batches, CORS, encodings, blockhash expiry, skipPreflight, airdrops.
import {
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
} from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalChain, readKeypairFile, startLocalChain } from '../../src/chain/index.js';
import { must, removeTempDirs, rpc, tempDir } from './helpers.js';

describe('the local chain RPC protocol', () => {
  let chain: LocalChain;
  let connection: Connection;
  let payer: Keypair;
  const transfer = (blockhash: string, lamports: number, to = Keypair.generate().publicKey) => {
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports }),
    );
    tx.sign(payer);
    return tx;
  };
  beforeAll(async () => {
    chain = await startLocalChain({ dataDir: tempDir(), warn: () => {} });
    connection = new Connection(chain.url, 'confirmed');
    payer = readKeypairFile(must(chain.accounts).keyPaths.publisher);
  });
  afterAll(async () => {
    await chain?.stop();
    removeTempDirs();
  });

  it('answers unknown methods, bad JSON, bad params and batches with JSON-RPC errors', async () => {
    expect((await rpc(chain.url, 'getBlockProduction')).error).toEqual({
      code: -32601,
      message: 'Method not found: getBlockProduction',
    });
    const garbage = await fetch(chain.url, { method: 'POST', body: '{"jsonrpc":' });
    expect(await garbage.json()).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
    expect((await rpc(chain.url, 'getBalance', ['not-an-address'])).error.code).toBe(-32602);
    const batch = await fetch(chain.url, {
      method: 'POST',
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'getSlot' },
        { jsonrpc: '2.0', id: 2, method: 'nope' },
      ]),
    });
    const [slot, missing] = (await batch.json()) as [{ result: number }, { error: { code: number } }];
    expect(slot.result).toBeGreaterThan(0);
    expect(missing.error.code).toBe(-32601);
    const preflight = await fetch(chain.url, {
      method: 'OPTIONS',
      headers: { 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect((await fetch(`${chain.url}/health`)).status).toBe(200);
    expect((await rpc(chain.url, 'getHealth')).result).toBe('ok');
    expect((await rpc(chain.url, 'getVersion')).result['solana-core']).toBeTypeOf('string');
    expect((await rpc(chain.url, 'getEpochInfo')).result.absoluteSlot).toBeGreaterThan(0);
  });

  it('reads missing accounts as null and encodes data as asked', async () => {
    const missing = Keypair.generate().publicKey.toBase58();
    const none = (await rpc(chain.url, 'getAccountInfo', [missing, { encoding: 'base64' }])).result;
    expect(none).toEqual({ context: { slot: expect.any(Number), apiVersion: expect.any(String) }, value: null });
    expect(await connection.getAccountInfo(Keypair.generate().publicKey)).toBeNull();
    const publisher = payer.publicKey.toBase58();
    const binary = (await rpc(chain.url, 'getAccountInfo', [publisher])).result.value;
    expect(binary).toMatchObject({ data: '', owner: '11111111111111111111111111111111', executable: false, space: 0 });
    expect(binary.rentEpoch).toBe(18446744073709552000);
    const base58 = (await rpc(chain.url, 'getAccountInfo', [publisher, { encoding: 'base58' }])).result.value;
    expect(base58.data).toEqual(['', 'base58']);
    const many = (await rpc(chain.url, 'getMultipleAccounts', [[publisher, missing], { encoding: 'base64' }])).result
      .value;
    expect(many[0].lamports).toBeGreaterThan(0);
    expect(many[1]).toBeNull();
  });

  it('rejects an expired blockhash, as preflight and in isBlockhashValid', async () => {
    const latest = await connection.getLatestBlockhash();
    expect((await connection.isBlockhashValid(latest.blockhash)).value).toBe(true);
    chain.ledger.warp(151);
    expect(await connection.getBlockHeight()).toBeGreaterThan(latest.lastValidBlockHeight);
    expect((await connection.isBlockhashValid(latest.blockhash)).value).toBe(false);
    const error = await connection
      .sendRawTransaction(transfer(latest.blockhash, 1_000_000).serialize())
      .catch((e: unknown) => e);
    expect(String(error)).toContain('Blockhash not found');
    const message = transfer(latest.blockhash, 1).compileMessage();
    expect((await connection.getFeeForMessage(message)).value).toBeNull();
    const fresh = transfer((await connection.getLatestBlockhash()).blockhash, 1).compileMessage();
    expect((await connection.getFeeForMessage(fresh)).value).toBe(5000);
  });

  it('records a failing transaction sent with skipPreflight, with its error, and answers duplicates', async () => {
    const { blockhash } = await connection.getLatestBlockhash();
    const tx = transfer(blockhash, 10_000 * LAMPORTS_PER_SOL);
    const signature = await connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
    const status = (await connection.getSignatureStatus(signature)).value;
    expect(status).toMatchObject({ err: { InstructionError: [0, { Custom: 1 }] }, confirmationStatus: 'finalized' });
    const fetched = await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(fetched?.meta?.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    const meta = must(fetched?.meta);
    expect(must(meta.preBalances[0]) - must(meta.postBalances[0])).toBe(5000);
    expect(await connection.sendRawTransaction(tx.serialize(), { skipPreflight: true })).toBe(signature);
    const duplicate = await connection.sendRawTransaction(tx.serialize()).catch((e: unknown) => e);
    expect(String(duplicate)).toContain('already been processed');
  });

  it('simulates with sigVerify and replaceRecentBlockhash, and serves v0 transactions', async () => {
    const { blockhash } = await connection.getLatestBlockhash();
    const message = new TransactionMessage({
      payerKey: payer.publicKey,
      recentBlockhash: blockhash,
      instructions: [
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: Keypair.generate().publicKey,
          lamports: LAMPORTS_PER_SOL,
        }),
      ],
    }).compileToV0Message();
    const unsigned = new VersionedTransaction(message);
    const replaced = await connection.simulateTransaction(unsigned, { replaceRecentBlockhash: true, sigVerify: false });
    expect(replaced.value.err).toBeNull();
    expect((replaced.value as { replacementBlockhash?: unknown }).replacementBlockhash).toBeTruthy();
    const badSignature = await connection.simulateTransaction(unsigned, { sigVerify: true }).catch((e: unknown) => e);
    expect(String(badSignature)).toContain('signature verification failure');
    const signed = new VersionedTransaction(message);
    signed.sign([payer]);
    const signature = await connection.sendTransaction(signed);
    await connection.confirmTransaction({
      signature,
      blockhash,
      lastValidBlockHeight: (await connection.getBlockHeight()) + 150,
    });
    const legacyClient = await rpc(chain.url, 'getTransaction', [signature, { encoding: 'json' }]);
    expect(legacyClient.error.code).toBe(-32015);
    const base64 = await rpc(chain.url, 'getTransaction', [
      signature,
      { encoding: 'base64', maxSupportedTransactionVersion: 0 },
    ]);
    expect(Buffer.from(base64.result.transaction[0], 'base64')).toEqual(Buffer.from(signed.serialize()));
    expect(base64.result.version).toBe(0);
  });

  it('airdrops through the faucet as a confirmable transaction', async () => {
    const target = Keypair.generate().publicKey;
    const latest = await connection.getLatestBlockhash();
    const signature = await connection.requestAirdrop(target, 2 * LAMPORTS_PER_SOL);
    await connection.confirmTransaction({ signature, ...latest });
    expect(await connection.getBalance(target)).toBe(2 * LAMPORTS_PER_SOL);
    const again = await connection.requestAirdrop(target, 2 * LAMPORTS_PER_SOL);
    expect(again).not.toBe(signature);
    const history = await connection.getSignaturesForAddress(target);
    expect(history.map((entry) => entry.signature)).toEqual([again, signature]);
    expect((await connection.getSignaturesForAddress(target, { before: again })).map((e) => e.signature)).toEqual([
      signature,
    ]);
    expect(await connection.getSignaturesForAddress(target, { until: again })).toEqual([]);
    expect((await connection.getSignaturesForAddress(target, { limit: 1 })).length).toBe(1);
  });
});
