// Pieces the ledger computes itself because litesvm does not report them: fees (checked against what litesvm actually
// debits), token UI amounts, and the wire format of legacy and v0 transactions.
import {
  ComputeBudgetProgram,
  Keypair,
  SystemProgram,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
} from '@solana/web3.js';
import { afterEach, describe, expect, it } from 'vitest';
import { messageFee } from '../../src/chain/fees.js';
import { openLedger } from '../../src/chain/index.js';
import { uiTokenAmount } from '../../src/chain/token-account.js';
import { parseWireTransaction, WireFormatError } from '../../src/chain/wire-transaction.js';
import { must, removeTempDirs, tempDir } from './helpers.js';

describe('ledger internals', () => {
  afterEach(() => removeTempDirs());

  it('computes the fee litesvm charges, priority fees included', async () => {
    const ledger = openLedger({ dataDir: tempDir(), slotMs: 0 });
    try {
      const payer = Keypair.generate();
      ledger.requestAirdrop(payer.publicKey.toBase58(), 10n ** 10n);
      const cases = [
        [],
        [ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1_000_000 })],
        [
          ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 333 }),
          ComputeBudgetProgram.setComputeUnitLimit({ units: 12_345 }),
        ],
      ];
      for (const [n, extra] of cases.entries()) {
        const tx = new Transaction({
          feePayer: payer.publicKey,
          recentBlockhash: ledger.latestBlockhash().blockhash,
        }).add(
          ...extra,
          SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: payer.publicKey, lamports: n + 1 }),
        );
        tx.sign(payer);
        const result = ledger.sendTransaction(tx.serialize());
        expect(result.status).toBe('landed');
        const stored = must(ledger.getTransaction(result.signature)).record.transaction;
        expect(must(stored.preBalances[0]) - must(stored.postBalances[0])).toBe(stored.fee);
        expect(BigInt(stored.fee)).toBe(messageFee(parseWireTransaction(tx.serialize())));
      }
    } finally {
      await ledger.close();
    }
  });

  it('formats token amounts like agave', () => {
    expect(uiTokenAmount(0n, 9)).toEqual({ amount: '0', decimals: 9, uiAmount: 0, uiAmountString: '0' });
    expect(uiTokenAmount(1_500_000_000n, 9).uiAmountString).toBe('1.5');
    expect(uiTokenAmount(1n, 9).uiAmountString).toBe('0.000000001');
    expect(uiTokenAmount(10n ** 18n, 9).uiAmountString).toBe('1000000000');
    expect(uiTokenAmount(42n, 0).uiAmountString).toBe('42');
  });

  it('parses legacy and v0 transactions and rejects malformed ones', () => {
    const payer = Keypair.generate();
    const to = Keypair.generate().publicKey;
    const blockhash = Keypair.generate().publicKey.toBase58();
    const ix = SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: 5 });
    const legacy = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(ix);
    legacy.sign(payer);
    const parsedLegacy = parseWireTransaction(legacy.serialize());
    expect(parsedLegacy.version).toBe('legacy');
    expect(parsedLegacy.staticKeys.map((k) => Buffer.from(k).toString('hex'))).toContain(to.toBuffer().toString('hex'));
    const v0 = new VersionedTransaction(
      new TransactionMessage({
        payerKey: payer.publicKey,
        recentBlockhash: blockhash,
        instructions: [ix],
      }).compileToV0Message(),
    );
    v0.sign([payer]);
    const parsedV0 = parseWireTransaction(v0.serialize());
    expect(parsedV0.version).toBe(0);
    expect(parsedV0.instructions[0]?.data).toEqual(new Uint8Array(ix.data));
    expect(() => parseWireTransaction(legacy.serialize().subarray(0, 100))).toThrow(WireFormatError);
    expect(() => parseWireTransaction(new Uint8Array(1300))).toThrow(/too large/);
  });
});
