// The shapes direct settlement hands out: what a claim request came to, a claim as stored, what reconcile did.

/** Per-claim and rolling-24-hour limits, in base units. */
export interface DirectCaps {
  /** The most one claim pays. */
  perClaim: bigint;
  /** The most one wallet is paid in any 24 hours (settled, pending and reserved claims count). */
  perWalletPerDay: bigint;
  /** The most all wallets together are paid in any 24 hours. */
  perDay: bigint;
}

/** Which rolling-24-hour cap refused a claim. */
export type CapName = 'per-day-wallet' | 'per-day-total';

/**
 * What one claim request came to. Business outcomes are results, never exceptions:
 * - `settled`: the transfer landed; `amount` is the gross delta, `net` what the wallet received after the mint's fee.
 * - `pending`: sent, its confirmation not seen yet; the `claim-reconcile` job finishes it.
 * - `nothing-to-claim`: the wallet was already paid (or is being paid) its whole total.
 * - `claim-in-progress`: another claim of this wallet is reserved or pending.
 * - `cap-reached`: a daily cap is used up; try again after `retryAfterSeconds`.
 * - `failed`: the transfer landed with an error, or the claim could not be sent; nothing was paid.
 */
export type ClaimResult =
  | {
      status: 'settled';
      claimId: number;
      signature: string;
      slot: number;
      amount: bigint;
      fee: bigint;
      net: bigint;
    }
  | { status: 'pending'; claimId: number; signature: string }
  | { status: 'nothing-to-claim'; total: bigint; paid: bigint }
  | { status: 'claim-in-progress'; claimId: number }
  | { status: 'cap-reached'; cap: CapName; retryAfterSeconds: number }
  | { status: 'failed'; claimId: number; error: string };

/** A claim row's lifecycle: reserved -> pending -> settled | failed | voided (reserved may be voided directly). */
export type ClaimStatus = 'reserved' | 'pending' | 'settled' | 'failed' | 'voided';

/** A claim as stored. */
export interface ClaimRecord {
  id: number;
  /** The wallet's 32 bytes and its base58 address. */
  wallet: Uint8Array;
  address: string;
  status: ClaimStatus;
  /** Gross amount transferred. */
  amount: bigint;
  /** The transfer fee computed when signing (null before). */
  fee: bigint | null;
  /** The wallet's total and what it had been paid when the claim was reserved. */
  total: bigint;
  paidBefore: bigint;
  signature: string | null;
  lastValidBlockHeight: number | null;
  slot: number | null;
  error: string | null;
  requestedBy: string | null;
  createdAt: Date;
  sentAt: Date | null;
  finishedAt: Date | null;
}

/** What a wallet was paid by direct settlement. */
export interface WalletPayments {
  /** Its entitlement now. */
  total: bigint;
  /** Sum of its settled claims. */
  paid: bigint;
  /** Sum of its reserved and pending claims (counted as paid until they settle or are voided). */
  inFlight: bigint;
  /** What a claim could pay now, caps aside: max(0, total - paid - inFlight). */
  claimable: bigint;
}

/** What one reconcile pass did. */
export interface ReconcileResult {
  /** Pending claims found landed and marked settled. */
  settled: number;
  /** Pending claims found landed with an error. */
  failed: number;
  /** Pending claims whose blockhash expired without them, plus reserved claims never sent. */
  voided: number;
  /** Claims still pending afterwards (their transactions were re-sent). */
  pending: number;
}

/** Progress and problems, for the caller's logger. */
export type SettlementLog = (message: string, details?: Record<string, unknown>) => void;
