// The transaction a direct claim sends: create the wallet's token account if needed, transfer_checked the gross
// amount from the treasury, and a memo naming the claim (so two claims of equal amounts never share a signature).
import { base58Encode } from '@attention-oracle/core';
import type { RoleKey } from '@attention-oracle/sdk/node';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { PublicKey, Transaction, TransactionInstruction } from '@solana/web3.js';

/**
 * The SPL Memo program (v3); each claim's transaction carries a memo naming the claim.
 *
 * @example
 * tx.instructions.some((ix) => ix.programId.equals(MEMO_PROGRAM_ID));
 */
export const MEMO_PROGRAM_ID = new PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');

/** Everything a claim transfer is built from. */
export interface ClaimTransfer {
  claimId: number;
  wallet: PublicKey;
  amount: bigint;
  mint: PublicKey;
  decimals: number;
  tokenProgram: PublicKey;
  treasuryAccount: PublicKey;
  /** Owns the treasury account; signs and pays fees and the new account's rent. */
  authority: RoleKey;
  blockhash: string;
  lastValidBlockHeight: number;
}

/**
 * Builds and signs the claim's transaction; returns its wire bytes and signature (the fee payer's, base58).
 *
 * @example
 * const { wire, signature } = await signClaimTransfer({ claimId, wallet, amount, mint, decimals: 9, tokenProgram,
 *   treasuryAccount, authority, blockhash, lastValidBlockHeight });
 */
export async function signClaimTransfer(input: ClaimTransfer): Promise<{ wire: Uint8Array; signature: string }> {
  const { authority, mint, tokenProgram, wallet } = input;
  const payer = authority.publicKey;
  const destination = getAssociatedTokenAddressSync(mint, wallet, true, tokenProgram);
  const message = new Transaction({
    feePayer: payer,
    blockhash: input.blockhash,
    lastValidBlockHeight: input.lastValidBlockHeight,
  })
    .add(
      createAssociatedTokenAccountIdempotentInstruction(payer, destination, wallet, mint, tokenProgram),
      createTransferCheckedInstruction(
        input.treasuryAccount,
        mint,
        destination,
        payer,
        input.amount,
        input.decimals,
        [],
        tokenProgram,
      ),
      new TransactionInstruction({
        programId: MEMO_PROGRAM_ID,
        keys: [],
        data: Buffer.from(`attention-oracle direct claim ${input.claimId}`, 'utf8'),
      }),
    )
    .compileMessage();
  if (message.header.numRequiredSignatures !== 1) {
    throw new Error(`claim ${input.claimId}: expected one signer (the treasury authority), the message needs more`);
  }
  // Compiled and signed once: web3.js's serialize() would compile again and verify our own signature (slow in JS).
  const messageBytes = message.serialize();
  const signature = await authority.signMessage(messageBytes);
  const wire = new Uint8Array(1 + signature.length + messageBytes.length);
  wire[0] = 1; // compact-u16 signature count
  wire.set(signature, 1);
  wire.set(messageBytes, 1 + signature.length);
  return { wire, signature: base58Encode(signature) };
}
