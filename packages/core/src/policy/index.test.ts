import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { allocatePromoV1, allocateWeightedV1, getPolicy, POLICIES, POLICY_IDS } from './index.js';

describe('policy registry', () => {
  it('registers weighted-v1 and promo-v1', () => {
    expect(POLICY_IDS).toEqual(['weighted-v1', 'promo-v1']);
    expect(getPolicy('weighted-v1').allocate).toBe(allocateWeightedV1);
    expect(getPolicy('promo-v1').allocate).toBe(allocatePromoV1);
    for (const id of POLICY_IDS) expect(getPolicy(id).id).toBe(id);
    expect(Object.isFrozen(POLICIES) && Object.isFrozen(POLICIES['weighted-v1']) && Object.isFrozen(POLICY_IDS)).toBe(
      true,
    );
  });

  it.each(['weighted-v2', 'constructor', '__proto__', ''])('rejects unknown id %j, listing the known ones', (id) => {
    expect(() => getPolicy(id)).toThrow(InvalidArgumentError);
    expect(() => getPolicy(id)).toThrow(`unknown policy id ${JSON.stringify(id)} (known: weighted-v1, promo-v1)`);
  });

  it('hashes resolved params through the policy', () => {
    const policy = getPolicy('weighted-v1');
    expect(policy.paramsHash({ epochBudget: 5n })).toBe(policy.paramsHash({ maxActiveMinutes: 60, epochBudget: 5n }));
    expect(policy.paramsHash({ epochBudget: 5n })).not.toBe(policy.paramsHash({ epochBudget: 6n }));
    expect(() => policy.paramsHash({} as never)).toThrow('weighted-v1 params.epochBudget is required');
    expect(getPolicy('promo-v1').resolveParams({ windowEpochs: 1, windowBudget: 1n }).epochSeconds).toBe(3600);
  });
});
