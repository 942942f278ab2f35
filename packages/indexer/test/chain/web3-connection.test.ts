// web3.js's Connection against the local chain, unchanged: a Token-2022 transfer_checked round trip with its fee
// withheld on the recipient, then the reads a client does afterwards.
import {
  createAmountToUiAmountInstruction,
  getTransferFeeAmount,
  TOKEN_2022_PROGRAM_ID,
  unpackAccount,
} from '@solana/spl-token';
import { Keypair, LAMPORTS_PER_SOL, SendTransactionError, SystemProgram, Transaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { readKeypairFile } from '../../src/chain/index.js';
import { ata, must, transferTx, useLocalChain } from './helpers.js';

describe('web3.js Connection against the local chain', () => {
  const { chain, connection } = useLocalChain();

  it('bootstraps the mint, the treasury and funded roles', async () => {
    const accounts = must(chain().accounts);
    // The supply (1e9 tokens): a tenth with the treasury authority, the rest in the local program's treasury.
    const treasury = await connection().getTokenAccountBalance(accounts.treasuryTokenAccount);
    expect(treasury.value).toMatchObject({
      amount: (10n ** 17n).toString(),
      decimals: 9,
      uiAmountString: '100000000',
    });
    const programTreasury = await connection().getTokenAccountBalance(must(accounts.programTreasury));
    expect(programTreasury.value.amount).toBe((9n * 10n ** 17n).toString());
    expect((await connection().getTokenSupply(accounts.mint)).value.amount).toBe((10n ** 18n).toString());
    expect(await connection().getBalance(accounts.publisher)).toBe(100 * LAMPORTS_PER_SOL);
    expect(await connection().getBalance(accounts.sponsorFeePayer)).toBe(10 * LAMPORTS_PER_SOL);
  });

  it('sends, confirms and reads back a Token-2022 transfer_checked with its fee withheld on the recipient', async () => {
    const { mint, keyPaths, treasuryAuthority } = must(chain().accounts);
    const authority = readKeypairFile(keyPaths.treasuryAuthority);
    const recipient = Keypair.generate().publicKey;
    const latest = await connection().getLatestBlockhash();
    const height = await connection().getBlockHeight();
    expect(height).toBeGreaterThanOrEqual(latest.lastValidBlockHeight - 150);
    expect(height).toBeLessThanOrEqual(latest.lastValidBlockHeight);
    const amount = 1234n * 10n ** 9n;
    const tx = transferTx(mint, authority, recipient, amount, latest.blockhash);
    const signature = await connection().sendRawTransaction(tx.serialize());
    const confirmation = await connection().confirmTransaction({ signature, ...latest }, 'confirmed');
    expect(confirmation.value.err).toBeNull();

    const fee = (amount * 50n) / 10_000n;
    const balance = await connection().getTokenAccountBalance(ata(mint, recipient));
    expect(balance.value.amount).toBe((amount - fee).toString());
    expect(balance.value.uiAmount).toBeCloseTo(1227.83, 6);
    const info = await connection().getAccountInfo(ata(mint, recipient));
    const account = unpackAccount(ata(mint, recipient), info, TOKEN_2022_PROGRAM_ID);
    expect(getTransferFeeAmount(account)?.withheldAmount).toBe(fee);

    const signatures = await connection().getSignaturesForAddress(ata(mint, recipient));
    expect(signatures.map((s) => s.signature)).toEqual([signature]);
    expect(signatures[0]).toMatchObject({ err: null, confirmationStatus: 'finalized' });
    const fetched = await connection().getTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(fetched?.meta?.err).toBeNull();
    expect(fetched?.meta?.fee).toBe(5000);
    expect(fetched?.meta?.logMessages?.join('\n')).toContain('TransferChecked');
    expect(fetched?.meta?.computeUnitsConsumed).toBeGreaterThan(0);
    expect(fetched?.transaction.message.staticAccountKeys[0]?.equals(treasuryAuthority)).toBe(true);
    const post = fetched?.meta?.postTokenBalances?.find((b) => b.owner === recipient.toBase58());
    expect(post?.uiTokenAmount.amount).toBe((amount - fee).toString());
    const meta = must(fetched?.meta);
    expect(must(meta.preBalances[0]) - must(meta.postBalances[0])).toBe(
      5000 + (await connection().getMinimumBalanceForRentExemption(must(info).data.length)),
    );
  });

  it('simulates without committing, and reports preflight failures with their logs', async () => {
    const payer = readKeypairFile(must(chain().accounts).keyPaths.publisher);
    const { blockhash } = await connection().getLatestBlockhash();
    const target = Keypair.generate().publicKey;
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: target, lamports: LAMPORTS_PER_SOL }),
    );
    tx.sign(payer);
    const simulation = await connection().simulateTransaction(tx);
    expect(simulation.value.err).toBeNull();
    expect(simulation.value.logs?.[0]).toContain('11111111111111111111111111111111 invoke');
    expect(simulation.value.unitsConsumed).toBeGreaterThan(0);
    expect(await connection().getBalance(target)).toBe(0);

    // Token-2022's AmountToUiAmount answers through return data.
    const uiAmount = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
      createAmountToUiAmountInstruction(must(chain().accounts).mint, 1_500_000_000n, TOKEN_2022_PROGRAM_ID),
    );
    uiAmount.sign(payer);
    const returned = (await connection().simulateTransaction(uiAmount)).value.returnData;
    expect(returned?.programId).toBe(TOKEN_2022_PROGRAM_ID.toBase58());
    expect(Buffer.from(must(returned).data[0], 'base64').toString()).toBe('1.5');

    const tooMuch = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: target, lamports: 1000 * LAMPORTS_PER_SOL }),
    );
    tooMuch.sign(payer);
    const before = await connection().getBalance(payer.publicKey);
    const error = await connection()
      .sendRawTransaction(tooMuch.serialize())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendTransactionError);
    expect((error as SendTransactionError).message).toContain('custom program error: 0x1');
    expect((error as SendTransactionError).logs?.join('\n')).toContain('insufficient lamports');
    expect(await connection().getBalance(payer.publicKey)).toBe(before);
  });
});
