import { epochOf, isEpochStart } from '../epoch.js';
import { requireArgument } from '../errors.js';
import { scaleEntriesToBudget } from './largest-remainder.js';
import { policyParamsHash } from './params.js';
import { type PromoV1Params, type PromoV1ParamsInput, resolvePromoV1Params } from './promo-v1-params.js';
import { finishResult } from './result.js';
import { applyExclusions, describeRow, joinKey, validateParticipationRow } from './rows.js';
import type { EpochParticipationRow, Policy, PolicyInput, PolicyResult } from './types.js';

/**
 * The promo window holding `epoch`: the start second of its run of `windowEpochs` epochs. Windows are aligned to
 * multiples of `windowEpochs * epochSeconds` since unix second 0 (so 24 hourly epochs make UTC days).
 */
export function promoWindowOf(epoch: number, windowEpochs: number, epochSeconds: number): number {
  requireArgument(
    Number.isSafeInteger(windowEpochs) && windowEpochs > 0,
    `windowEpochs must be a positive safe integer, got ${String(windowEpochs)}`,
  );
  return epochOf(epoch, windowEpochs * epochSeconds);
}

/**
 * Runs promo-v1 over one window's rows. After dropping excluded viewers, each viewer's participation count is the
 * number of (epoch, channel) rows with activeMinutes >= 1; the viewer earns min(base + perParticipation x count,
 * maxPerViewer), and everything over windowBudget is scaled down to it (largest remainder, keyed by viewer).
 * Allocations have channel null and points = count. Viewers with count 0 get nothing, and neither do amounts that
 * round to 0. Every row must sit in the same window, on an epoch boundary, once per (epoch, channel, viewer).
 */
export function allocatePromoV1(input: PolicyInput<EpochParticipationRow, PromoV1ParamsInput>): PolicyResult {
  requireArgument(typeof input === 'object' && input !== null, 'promo-v1 input must be an object');
  const params = resolvePromoV1Params(input.params);
  const counts = participationCounts(applyExclusions(input.rows, input.exclusions), params);

  const entries = [...counts]
    .filter(([, count]) => count > 0)
    .map(([viewer, count]) => {
      const earned = params.base + params.perParticipation * BigInt(count);
      const amount = earned < params.maxPerViewer ? earned : params.maxPerViewer;
      return { channel: null, viewer, points: BigInt(count), amount };
    });
  const scaledByBudget = scaleEntriesToBudget(entries, (e) => e.viewer, params.windowBudget);
  const paramsHash = policyParamsHash('promo-v1', params);
  return finishResult('promo-v1', paramsHash, entries, params.windowBudget, scaledByBudget);
}

function participationCounts(rows: readonly EpochParticipationRow[], params: PromoV1Params): Map<string, number> {
  const { windowEpochs, epochSeconds } = params;
  const seen = new Set<string>();
  const windows = new Set<number>();
  const counts = new Map<string, number>();
  for (const row of rows) {
    validateParticipationRow(row);
    requireArgument(
      isEpochStart(row.epoch, epochSeconds),
      `${describeRow(row)}: epoch ${String(row.epoch)} is not the start of a ${epochSeconds} s epoch`,
    );
    const key = joinKey(row.epoch, row.channel, row.viewer);
    requireArgument(!seen.has(key), `duplicate ${describeRow(row)} in epoch ${row.epoch}`);
    seen.add(key);
    windows.add(promoWindowOf(row.epoch, windowEpochs, epochSeconds));
    counts.set(row.viewer, (counts.get(row.viewer) ?? 0) + (row.activeMinutes >= 1 ? 1 : 0));
  }
  // Report the two earliest windows, not the first rows seen, so the error does not depend on row order.
  const sorted = [...windows].sort((a, b) => a - b);
  requireArgument(
    sorted.length <= 1,
    `promo-v1 rows span more than one window of ${windowEpochs} epochs: windows ${sorted.slice(0, 2).join(' and ')}`,
  );
  return counts;
}

/** The promo-v1 policy: one capped reward per viewer for a window of epochs, channel-agnostic. */
export const promoV1Policy: Policy<EpochParticipationRow, PromoV1ParamsInput, PromoV1Params> = Object.freeze({
  id: 'promo-v1',
  resolveParams: resolvePromoV1Params,
  paramsHash: (params: PromoV1ParamsInput) => policyParamsHash('promo-v1', resolvePromoV1Params(params)),
  allocate: allocatePromoV1,
});
