// The mint's decimals and Token-2022 transfer fee, read once: what a transfer of `amount` withholds in a given epoch.
import { calculateEpochFee, getMint, getTransferFeeConfig } from '@solana/spl-token';
import type { Connection, PublicKey } from '@solana/web3.js';

/** What transfers of a mint need to know. */
export interface MintFees {
  decimals: number;
  /** The fee a transfer of `amount` (gross) withholds from the recipient in `epoch`; 0 without a fee config. */
  feeFor(amount: bigint, epoch: bigint): bigint;
}

/**
 * Reads `mint` (owned by `tokenProgram`) and returns its decimals and fee rule. The TransferFeeConfig holds an older
 * and a newer fee with the epoch the newer one starts; the fee is computed for the epoch the transfer lands in.
 *
 * @example
 * const fees = await loadMintFees(client.connection(), mint, TOKEN_2022_PROGRAM_ID);
 * const fee = fees.feeFor(1_000_000_000n, epoch); // 5_000_000n at 50 bps
 */
export async function loadMintFees(
  connection: Connection,
  mint: PublicKey,
  tokenProgram: PublicKey,
): Promise<MintFees> {
  const account = await getMint(connection, mint, 'confirmed', tokenProgram);
  const config = getTransferFeeConfig(account);
  return {
    decimals: account.decimals,
    feeFor: (amount, epoch) => (config ? calculateEpochFee(config, epoch, amount) : 0n),
  };
}
