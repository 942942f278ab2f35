// Which policy an epoch seals under, which epochs' rows it reads, and whether it pays.
import {
  type EpochParticipationRow,
  type Exclusions,
  getPolicy,
  type PolicyResult,
  type PromoV1ParamsInput,
  promoWindowOf,
  resolvePromoV1Params,
  type WeightedV1ParamsInput,
} from '@attention-oracle/core';

/** The allocation policy an epoch seals under, with its raw parameters (core validates them and fills defaults). */
export type SealPolicy =
  | { readonly id: 'weighted-v1'; readonly params: WeightedV1ParamsInput }
  | { readonly id: 'promo-v1'; readonly params: PromoV1ParamsInput };

/** What sealing one epoch under a policy involves. */
export interface SealPlan {
  readonly policyId: SealPolicy['id'];
  readonly paramsHash: string;
  /** First epoch whose participation the seal reads (the epoch itself, or a promo window's start). */
  readonly fromEpoch: number;
  /** Whether this seal writes allocations: weighted-v1 always; promo-v1 only on its window's last epoch. */
  readonly pays: boolean;
  /** The last epoch of the epoch's window (the epoch itself for per-epoch policies). */
  readonly windowLastEpoch: number;
}

/**
 * Plans the seal of `epoch`. weighted-v1 pays per epoch. promo-v1 pays per window of N epochs: the window's last
 * epoch reads the whole window's participation and carries its allocations (channel 0); the window's other epochs
 * seal with no allocations, freezing their rows for it. Invalid parameters throw here, before any database work.
 */
export function planSeal(policy: SealPolicy, epoch: number, epochSeconds: number): SealPlan {
  if (policy.id === 'weighted-v1') {
    const paramsHash = getPolicy('weighted-v1').paramsHash(policy.params);
    return { policyId: policy.id, paramsHash, fromEpoch: epoch, pays: true, windowLastEpoch: epoch };
  }
  const params = resolvePromoV1Params(policy.params);
  if (params.epochSeconds !== epochSeconds) {
    throw new Error(
      `promo-v1 params.epochSeconds is ${params.epochSeconds} but epochs are ${epochSeconds} s long: set them equal`,
    );
  }
  const windowStart = promoWindowOf(epoch, params.windowEpochs, epochSeconds);
  const windowLastEpoch = windowStart + (params.windowEpochs - 1) * epochSeconds;
  const pays = epoch === windowLastEpoch;
  return {
    policyId: policy.id,
    paramsHash: getPolicy('promo-v1').paramsHash(policy.params),
    fromEpoch: pays ? windowStart : epoch,
    pays,
    windowLastEpoch,
  };
}

/** Runs the policy over the rows a {@link SealPlan} read. */
export function allocate(
  policy: SealPolicy,
  rows: readonly EpochParticipationRow[],
  exclusions: Exclusions,
): PolicyResult {
  return policy.id === 'weighted-v1'
    ? getPolicy('weighted-v1').allocate({ rows, exclusions, params: policy.params })
    : getPolicy('promo-v1').allocate({ rows, exclusions, params: policy.params });
}
