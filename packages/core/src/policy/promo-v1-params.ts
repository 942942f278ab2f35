import { requireArgument } from '../errors.js';
import {
  PROMO_V1_DEFAULTS,
  requireParamsObject,
  requirePositiveIntegerParam,
  requirePositiveU64Param,
  requirePresent,
  requireU64Param,
} from './params.js';

/** Raw promo-v1 parameters. Amounts are bigint token base units. */
export interface PromoV1ParamsInput {
  /** Epochs per window (a positive integer). Mandatory: it defines what one payout covers. */
  readonly windowEpochs: number;
  /** The most the window pays out in total. Mandatory: there is no safe default for money. */
  readonly windowBudget: bigint;
  /** Epoch length in seconds; default 3600. */
  readonly epochSeconds?: number;
  /** Paid to every viewer with at least one participation; default 100 tokens. */
  readonly base?: bigint;
  /** Paid per participation; default 10 tokens. */
  readonly perParticipation?: bigint;
  /** The most one viewer earns in the window; default 1000 tokens. */
  readonly maxPerViewer?: bigint;
}

/** promo-v1 parameters after validation, with defaults filled in. */
export interface PromoV1Params {
  readonly windowEpochs: number;
  readonly windowBudget: bigint;
  readonly epochSeconds: number;
  readonly base: bigint;
  readonly perParticipation: bigint;
  readonly maxPerViewer: bigint;
}

const KNOWN = ['base', 'epochSeconds', 'maxPerViewer', 'perParticipation', 'windowBudget', 'windowEpochs'] as const;

/**
 * Validates raw promo-v1 parameters and fills in defaults. `windowBudget` and `maxPerViewer` must be in
 * 1..U64_MAX; `base` and `perParticipation` may be 0; a window must span a safe integer number of seconds.
 */
export function resolvePromoV1Params(input: PromoV1ParamsInput): PromoV1Params {
  const raw = requireParamsObject(input, 'promo-v1 params', KNOWN);
  const what = (key: string) => `promo-v1 params.${key}`;
  const windowEpochs = requirePositiveIntegerParam(
    requirePresent(raw.windowEpochs, what('windowEpochs'), 'the number of epochs one payout covers'),
    what('windowEpochs'),
  );
  const windowBudget = requirePresent(raw.windowBudget, what('windowBudget'), 'the most one window may pay out');
  const epochSeconds = requirePositiveIntegerParam(
    raw.epochSeconds ?? PROMO_V1_DEFAULTS.epochSeconds,
    what('epochSeconds'),
  );
  requireArgument(
    Number.isSafeInteger(windowEpochs * epochSeconds),
    `promo-v1 window of ${windowEpochs} epochs of ${epochSeconds} s is beyond the safe integer range`,
  );
  return {
    windowEpochs,
    windowBudget: requirePositiveU64Param(windowBudget, what('windowBudget')),
    epochSeconds,
    base: requireU64Param(raw.base ?? PROMO_V1_DEFAULTS.base, what('base')),
    perParticipation: requireU64Param(
      raw.perParticipation ?? PROMO_V1_DEFAULTS.perParticipation,
      what('perParticipation'),
    ),
    maxPerViewer: requirePositiveU64Param(raw.maxPerViewer ?? PROMO_V1_DEFAULTS.maxPerViewer, what('maxPerViewer')),
  };
}
