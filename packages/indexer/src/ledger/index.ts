// The wallet ledger: crediting sealed epochs, wallet bindings, corrections, legacy joins, external credits (V5 base
// yield) and the treasury-coverage check. `*-internal.ts` files are not part of this surface.
export { userOfViewer, viewersOfUser } from './accounts.js';
export {
  BINDING_METHODS,
  type BindingMethod,
  type BindWalletInput,
  type BindWalletResult,
  bindWallet,
} from './bind-wallet.js';
export { activeWallet, bindingHistory, type WalletBinding } from './bindings.js';
export { addCorrection, type CorrectionInput, type CorrectionResult } from './corrections.js';
export { creditEpoch, type EpochCredit } from './credit-epoch.js';
export { type CreditOptions, type CreditResult, creditSealedEpochs } from './credit-sealed-epochs.js';
export {
  type ExternalCreditImportOptions,
  type ExternalCreditImportResult,
  importExternalCredits,
} from './external-credits.js';
export { type ExternalCreditRows, parseExternalCredits } from './external-credits-file.js';
export { LEDGER_LOCK_KEY, lockLedger } from './ledger-lock.js';
export { joinLegacyViewer, type LegacyJoinInput, type LegacyJoinResult } from './legacy-join.js';
export { ledgerMark, readWalletTotals, type WalletEntitlement, walletEntitlement } from './totals.js';
export {
  checkTreasuryCoverage,
  type OutstandingEntitlement,
  outstandingEntitlement,
  type Settlement,
  type TreasuryCoverage,
  type TreasuryCoverageInput,
} from './treasury-coverage.js';
