// The SDK's RPC client against the local chain: the path every part of the project uses to reach any chain.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockhashExpiredError, createRpcClient, sendAndConfirm } from '@attention-oracle/sdk';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
  TOKEN_2022_PROGRAM_ID,
} from '@solana/spl-token';
import { Keypair, Transaction } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalChain, readKeypairFile, startLocalChain } from '../src/chain/index.js';

describe('the RPC client against the local chain', () => {
  let chain: LocalChain;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ao-chain-client-'));
    chain = await startLocalChain({ dataDir: dir });
  });
  afterAll(async () => {
    await chain.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails over from a dead endpoint, sends and confirms a fee-bearing Token-2022 transfer, and counts it', async () => {
    const accounts = chain.accounts;
    if (!accounts) throw new Error('not bootstrapped');
    const client = createRpcClient({ urls: ['http://127.0.0.1:1', chain.url], timeoutMs: 5_000 });
    const connection = client.connection();
    const authority = readKeypairFile(accounts.keyPaths.treasuryAuthority);
    const recipient = Keypair.generate().publicKey;
    const ata = getAssociatedTokenAddressSync(accounts.mint, recipient, false, TOKEN_2022_PROGRAM_ID);
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
    const tx = new Transaction({ feePayer: authority.publicKey, recentBlockhash: blockhash }).add(
      createAssociatedTokenAccountIdempotentInstruction(
        authority.publicKey,
        ata,
        recipient,
        accounts.mint,
        TOKEN_2022_PROGRAM_ID,
      ),
      createTransferCheckedInstruction(
        accounts.treasuryTokenAccount,
        accounts.mint,
        ata,
        authority.publicKey,
        10_000_000_000n,
        9,
        [],
        TOKEN_2022_PROGRAM_ID,
      ),
    );
    tx.sign(authority);
    const { signature, slot } = await sendAndConfirm(client, tx, { lastValidBlockHeight, pollEveryMs: 20 });
    expect(slot).toBeGreaterThan(0);
    // The mint's 50 bps fee is withheld from the 10 tokens in the recipient's account: it nets 9.95.
    const balance = await connection.getTokenAccountBalance(ata);
    expect(balance.value.amount).toBe('9950000000');
    expect((await connection.getSignaturesForAddress(recipient)).map((h) => h.signature)).toEqual([signature]);
    expect((await connection.getSignaturesForAddress(ata)).map((h) => h.signature)).toContain(signature);
    const dead = client.metrics().endpoints.find((e) => e.endpoint.includes(':1'));
    expect(dead?.errors.network).toBeGreaterThan(0);
  });

  it('reports a transaction whose blockhash expired without landing, and never re-signs it', async () => {
    const client = createRpcClient({ urls: [chain.url] });
    const payer = Keypair.generate();
    const { blockhash } = await client.connection().getLatestBlockhash();
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash });
    tx.add(
      createAssociatedTokenAccountIdempotentInstruction(
        payer.publicKey,
        payer.publicKey,
        payer.publicKey,
        payer.publicKey,
      ),
    );
    tx.sign(payer);
    // An unfunded payer fails preflight; with preflight skipped it never lands, and a height already passed settles it.
    const height = await client.call<number>('getBlockHeight', []);
    await expect(
      sendAndConfirm(client, tx, { lastValidBlockHeight: height - 1, skipPreflight: true, pollEveryMs: 20 }),
    ).rejects.toBeInstanceOf(BlockhashExpiredError);
  });
});
