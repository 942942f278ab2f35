// Aggregation, sealing, backfill and retention of epochs. `*-internal.ts` files are not part of this surface.

export { type AggregateOptions, type AggregateResult, aggregateDirtyEpochs, aggregateEpoch } from './aggregate.js';
export { type BackfillOptions, type BackfillResult, importBackfill } from './backfill.js';
export { BACKFILL_COUNTERS, BACKFILL_FIELDS, type BackfillRow } from './backfill-row.js';
export { ImportError } from './import-error.js';
export { type SealHashInput, sealInputHash } from './input-hash.js';
export { type LateEpochReport, lateEventReport } from './late-events.js';
export { addSealedEpochsToLeaderboard } from './leaderboard-totals-internal.js';
export { importPaidAmounts, type PaidImportOptions, type PaidImportResult } from './paid-imports.js';
export { deleteExpiredEvents, type RetentionOptions } from './retention.js';
export { type SealReadyResult, sealEpoch, sealReadyEpochs } from './seal.js';
export { planSeal, type SealPlan, type SealPolicy } from './seal-policy.js';
export type { EpochNotReady, SealedEpoch, SealOptions, SealResult } from './seal-types.js';
export { SealedEpochError } from './sealed-epoch-error.js';
