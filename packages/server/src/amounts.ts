// Amounts as the API states them: decimal strings, gross and net of the mint's transfer fee.
import { z } from 'zod';

/** An amount gross and net of the transfer fee a payout of it would withhold (net null when the fee is unknown). */
export const amountOutput = z.object({ gross: z.string(), net: z.string().nullable() });

/** The shape of {@link amountOutput}. */
export type AmountOutput = z.infer<typeof amountOutput>;

/**
 * `amount` gross and net of `feeFor` (net null without a fee function).
 *
 * @example grossNet(10_000n, (a) => (a * 50n + 9_999n) / 10_000n) // { gross: '10000', net: '9950' }
 */
export function grossNet(amount: bigint, feeFor: ((amount: bigint) => bigint) | null): AmountOutput {
  return { gross: amount.toString(), net: feeFor === null ? null : (amount - feeFor(amount)).toString() };
}
