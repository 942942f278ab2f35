import { InvalidArgumentError } from '../errors.js';
import { promoV1Policy } from './promo-v1.js';
import type { PolicyId } from './types.js';
import { weightedV1Policy } from './weighted-v1.js';

export { canonicalJson } from './canonical-json.js';
export { type KeyedAmount, scaleEntriesToBudget, scaleToBudget, sumAmounts } from './largest-remainder.js';
export {
  PROMO_V1_DEFAULTS,
  policyParamsHash,
  TOKEN,
  WEIGHTED_V1_DEFAULTS,
} from './params.js';
export { allocatePromoV1, promoV1Policy, promoWindowOf } from './promo-v1.js';
export { type PromoV1Params, type PromoV1ParamsInput, resolvePromoV1Params } from './promo-v1-params.js';
export { compareAllocations } from './result.js';
export { applyExclusions, validateParticipationRow } from './rows.js';
export type {
  Allocation,
  EpochParticipationRow,
  Exclusions,
  ParticipationCounter,
  ParticipationRow,
  Policy,
  PolicyId,
  PolicyInput,
  PolicyResult,
} from './types.js';
export { PARTICIPATION_COUNTERS } from './types.js';
export { allocateWeightedV1, weightedV1Points, weightedV1Policy } from './weighted-v1.js';
export {
  type ChannelBudgets,
  channelBudgetOf,
  resolveWeightedV1Params,
  type WeightedV1Params,
  type WeightedV1ParamsInput,
} from './weighted-v1-params.js';

/** Every registered policy by id. Ids are versions: a policy's behaviour never changes under the same id. */
export const POLICIES = Object.freeze({
  'weighted-v1': weightedV1Policy,
  'promo-v1': promoV1Policy,
}) satisfies Readonly<Record<PolicyId, unknown>>;

/** The registered policy ids, in registration order. */
export const POLICY_IDS: readonly PolicyId[] = Object.freeze(Object.keys(POLICIES) as PolicyId[]);

/** The policy registered under `id`; an unknown id is an InvalidArgumentError listing the known ones. */
export function getPolicy<Id extends PolicyId>(id: Id): (typeof POLICIES)[Id];
export function getPolicy(id: string): (typeof POLICIES)[PolicyId];
export function getPolicy(id: string): (typeof POLICIES)[PolicyId] {
  // hasOwn, so ids like "constructor" or "__proto__" are unknown rather than inherited.
  if (typeof id !== 'string' || !Object.hasOwn(POLICIES, id)) {
    throw new InvalidArgumentError(`unknown policy id ${JSON.stringify(id)} (known: ${POLICY_IDS.join(', ')})`);
  }
  return POLICIES[id as PolicyId];
}
