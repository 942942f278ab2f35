// Direct settlement: the treasury pays each wallet the delta between its entitlement and what it was paid, once.
export { type BlockhashCache, createBlockhashCache, type RecentBlockhash } from './blockhash-cache.js';
export { capClaim, checkCaps, type DayUsage } from './caps.js';
export { type ClaimListOptions, listClaims, readClaim } from './claim-rows.js';
export { type ClaimTransfer, MEMO_PROGRAM_ID, signClaimTransfer } from './claim-transaction.js';
export {
  type ClaimCheckpoint,
  createDirectSettlement,
  type DirectSettlement,
  type DirectSettlementOptions,
} from './direct-settlement.js';
export { loadMintFees, type MintFees } from './mint-fees.js';
export { type ReconcileOptions, reconcileClaims } from './reconcile.js';
export { claimReconcileHandler } from './reconcile-job.js';
export { createReservationQueue, type ReservationQueue } from './reservation-queue.js';
export {
  type Reservation,
  type ReserveOutcome,
  type ReserveRequest,
  reserveClaims,
  SETTLEMENT_LOCK_KEY,
} from './reserve.js';
export type {
  CapName,
  ClaimRecord,
  ClaimResult,
  ClaimStatus,
  DirectCaps,
  ReconcileResult,
  SettlementLog,
  WalletPayments,
} from './types.js';
export { walletBytes } from './wallet-input.js';
