import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, U64_MAX } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { keccak256 } from '../keccak.js';
import { canonicalJson } from './canonical-json.js';
import { PROMO_V1_DEFAULTS, policyParamsHash, TOKEN, WEIGHTED_V1_DEFAULTS } from './params.js';
import { resolvePromoV1Params } from './promo-v1-params.js';
import { resolveWeightedV1Params } from './weighted-v1-params.js';

function expectInvalid(run: () => unknown, message: string): void {
  expect(run).toThrow(InvalidArgumentError);
  expect(run).toThrow(message);
}

const weighted = (params: object) => () => resolveWeightedV1Params(params as never);
const promo = (params: object) => () => resolvePromoV1Params(params as never);

describe('weighted-v1 params', () => {
  it('fills in defaults: 0.8 tokens per point, 60 minutes', () => {
    expect(TOKEN).toBe(1_000_000_000n);
    expect(WEIGHTED_V1_DEFAULTS).toEqual({ ratePerPoint: 800_000_000n, maxActiveMinutes: 60 });
    expect(resolveWeightedV1Params({ epochBudget: 5n })).toEqual({
      epochBudget: 5n,
      ratePerPoint: 800_000_000n,
      maxActiveMinutes: 60,
      capPerViewerPerChannel: undefined,
      capPerViewerPerEpoch: undefined,
      channelBudgets: undefined,
    });
  });

  it('keeps every valid optional', () => {
    const params = {
      epochBudget: U64_MAX,
      ratePerPoint: 1n,
      maxActiveMinutes: 1,
      capPerViewerPerChannel: 2n,
      capPerViewerPerEpoch: 3n,
      channelBudgets: { default: 4n, byChannel: { x: 5n, ['__proto__']: 6n } },
    };
    expect(resolveWeightedV1Params(params)).toEqual(params);
  });

  it('rejects bad params with a clear message', () => {
    const p = 'weighted-v1 params';
    expectInvalid(weighted({}), `${p}.epochBudget is required (the most one epoch may pay out)`);
    expectInvalid(weighted({ epochBudget: 0n }), `${p}.epochBudget must be greater than zero`);
    expectInvalid(weighted({ epochBudget: -1n }), `${p}.epochBudget must be a u64 (0..2^64-1), got -1`);
    expectInvalid(weighted({ epochBudget: U64_MAX + 1n }), `${p}.epochBudget must be a u64 (0..2^64-1)`);
    expectInvalid(weighted({ epochBudget: 100 }), `${p}.epochBudget must be a bigint, got number`);
    expectInvalid(weighted({ epochBudget: '100' }), `${p}.epochBudget must be a bigint, got string`);
    expectInvalid(weighted({ epochBudget: 1n, ratePerPoint: 0n }), `${p}.ratePerPoint must be greater than zero`);
    expectInvalid(weighted({ epochBudget: 1n, ratePerPoint: 0.8 }), `${p}.ratePerPoint must be a bigint, got number`);
    expectInvalid(
      weighted({ epochBudget: 1n, capPerViewerPerChannel: 0n }),
      `${p}.capPerViewerPerChannel must be greater than zero`,
    );
    expectInvalid(weighted({ epochBudget: 1n, capPerViewerPerEpoch: -5n }), `${p}.capPerViewerPerEpoch must be a u64`);
    expectInvalid(
      weighted({ epochBudget: 1n, maxActiveMinutes: 0 }),
      `${p}.maxActiveMinutes must be a positive safe integer, got 0`,
    );
    expectInvalid(
      weighted({ epochBudget: 1n, maxActiveMinutes: 1.5 }),
      `${p}.maxActiveMinutes must be a positive safe integer, got 1.5`,
    );
    expectInvalid(
      weighted({ epochBudget: 1n, maxActiveMinutes: 60n }),
      `${p}.maxActiveMinutes must be a positive safe integer, got bigint`,
    );
    expectInvalid(
      weighted({ epochBudget: 1n, capPerViewer: 5n }),
      `unknown ${p} key "capPerViewer" (known: capPerViewerPerChannel, capPerViewerPerEpoch, channelBudgets, epochBudget, maxActiveMinutes, ratePerPoint)`,
    );
    expectInvalid(weighted(null as never), `${p} must be a plain object`);
    expectInvalid(weighted(new Map() as never), `${p} must be a plain object`);
  });

  it('rejects bad channel budgets', () => {
    const p = 'weighted-v1 params.channelBudgets';
    expectInvalid(
      weighted({ epochBudget: 1n, channelBudgets: { fallback: 1n } }),
      `unknown ${p} key "fallback" (known: byChannel, default)`,
    );
    expectInvalid(
      weighted({ epochBudget: 1n, channelBudgets: { default: 0n } }),
      `${p}.default must be greater than zero`,
    );
    expectInvalid(
      weighted({ epochBudget: 1n, channelBudgets: { byChannel: { a: 1 } } }),
      `${p}.byChannel["a"] must be a bigint, got number`,
    );
    expectInvalid(
      weighted({ epochBudget: 1n, channelBudgets: { byChannel: { '': 1n } } }),
      `${p}.byChannel keys must be non-empty`,
    );
    expectInvalid(
      weighted({ epochBudget: 1n, channelBudgets: { byChannel: [1n] } }),
      `${p}.byChannel must be a plain object`,
    );
    expectInvalid(weighted({ epochBudget: 1n, channelBudgets: 5n }), `${p} must be a plain object`);
  });
});

describe('promo-v1 params', () => {
  it('fills in defaults: 100 + 10 per participation, at most 1000 tokens, hourly epochs', () => {
    expect(PROMO_V1_DEFAULTS).toEqual({
      base: 100_000_000_000n,
      perParticipation: 10_000_000_000n,
      maxPerViewer: 1_000_000_000_000n,
      epochSeconds: 3600,
    });
    expect(resolvePromoV1Params({ windowEpochs: 24, windowBudget: 7n })).toEqual({
      windowEpochs: 24,
      windowBudget: 7n,
      ...PROMO_V1_DEFAULTS,
    });
    expect(resolvePromoV1Params({ windowEpochs: 1, windowBudget: 1n, base: 0n, perParticipation: 0n })).toMatchObject({
      base: 0n,
      perParticipation: 0n,
    });
  });

  it('rejects bad params with a clear message', () => {
    const p = 'promo-v1 params';
    expectInvalid(
      promo({ windowBudget: 1n }),
      `${p}.windowEpochs is required (the number of epochs one payout covers)`,
    );
    expectInvalid(promo({ windowEpochs: 1 }), `${p}.windowBudget is required (the most one window may pay out)`);
    expectInvalid(
      promo({ windowEpochs: 0, windowBudget: 1n }),
      `${p}.windowEpochs must be a positive safe integer, got 0`,
    );
    expectInvalid(
      promo({ windowEpochs: 2.5, windowBudget: 1n }),
      `${p}.windowEpochs must be a positive safe integer, got 2.5`,
    );
    expectInvalid(promo({ windowEpochs: 1, windowBudget: 0n }), `${p}.windowBudget must be greater than zero`);
    expectInvalid(
      promo({ windowEpochs: 1, windowBudget: 1n, base: -1n }),
      `${p}.base must be a u64 (0..2^64-1), got -1`,
    );
    expectInvalid(
      promo({ windowEpochs: 1, windowBudget: 1n, maxPerViewer: 0n }),
      `${p}.maxPerViewer must be greater than zero`,
    );
    expectInvalid(
      promo({ windowEpochs: 1, windowBudget: 1n, epochSeconds: 0 }),
      `${p}.epochSeconds must be a positive safe integer, got 0`,
    );
    expectInvalid(
      promo({ windowEpochs: 2 ** 40, windowBudget: 1n, epochSeconds: 2 ** 20 }),
      'promo-v1 window of 1099511627776 epochs of 1048576 s is beyond the safe integer range',
    );
    expectInvalid(promo({ windowEpochs: 1, windowBudget: 1n, bonus: 1n }), `unknown ${p} key "bonus"`);
  });
});

describe('canonicalJson', () => {
  it('sorts keys recursively, writes bigints as strings, skips undefined', () => {
    expect(canonicalJson({ b: 2n, a: { z: [1, 'x', null, true], y: undefined, é: false } })).toBe(
      '{"a":{"z":[1,"x",null,true],"é":false},"b":"2"}',
    );
  });

  it('rejects values without a canonical form', () => {
    expectInvalid(() => canonicalJson({ a: 0.5 }), 'canonical JSON: $.a must be a safe integer, got 0.5');
    expectInvalid(() => canonicalJson([undefined]), 'canonical JSON: $[0] has an unsupported undefined value');
    expectInvalid(() => canonicalJson({ m: new Map() }), 'canonical JSON: $.m has an unsupported object value');
    expectInvalid(() => canonicalJson(() => 1), 'canonical JSON: $ has an unsupported function value');
  });
});

describe('policyParamsHash', () => {
  it('is keccak256 of the canonical JSON of policy id and params, as lowercase hex', () => {
    const hash = policyParamsHash('weighted-v1', { ratePerPoint: 800_000_000n, epochBudget: 10n });
    expect(hash).toBe(
      toHex(keccak256('{"params":{"epochBudget":"10","ratePerPoint":"800000000"},"policyId":"weighted-v1"}')),
    );
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores key order and spelt-out defaults, includes the policy id', () => {
    const a = resolveWeightedV1Params({
      epochBudget: 9n,
      channelBudgets: { byChannel: { x: 1n, y: 2n }, default: 3n },
    });
    const b = resolveWeightedV1Params({
      channelBudgets: { default: 3n, byChannel: { y: 2n, x: 1n } },
      maxActiveMinutes: 60,
      epochBudget: 9n,
    });
    expect(policyParamsHash('weighted-v1', a)).toBe(policyParamsHash('weighted-v1', b));
    expect(policyParamsHash('promo-v1', a)).not.toBe(policyParamsHash('weighted-v1', a));
  });

  it('changes when any parameter changes', () => {
    const base = { epochBudget: 1000n, ratePerPoint: 5n, maxActiveMinutes: 60, capPerViewerPerEpoch: 300n };
    const keys = Object.keys(base) as (keyof typeof base)[];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.integer({ min: 1, max: 1000 }), (key, delta) => {
        const value = base[key];
        const changed = { ...base, [key]: typeof value === 'bigint' ? value + BigInt(delta) : value + delta };
        const hash = (p: object) => policyParamsHash('weighted-v1', resolveWeightedV1Params(p as never));
        expect(hash(changed)).not.toBe(hash(base));
      }),
    );
  });
});
