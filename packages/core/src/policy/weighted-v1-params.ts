import { requireArgument } from '../errors.js';
import { isPlainObject } from './canonical-json.js';
import {
  requireParamsObject,
  requirePositiveIntegerParam,
  requirePositiveU64Param,
  requirePresent,
  WEIGHTED_V1_DEFAULTS,
} from './params.js';

/** Per-channel budgets: `byChannel` wins over `default`; a channel with neither has no budget of its own. */
export interface ChannelBudgets {
  readonly default?: bigint;
  readonly byChannel?: Readonly<Record<string, bigint>>;
}

/** Raw weighted-v1 parameters. Amounts are bigint token base units. */
export interface WeightedV1ParamsInput {
  /** The most the epoch pays out in total. Mandatory: there is no safe default for money. */
  readonly epochBudget: bigint;
  /** Base units per point; default 800_000_000n (0.8 tokens). */
  readonly ratePerPoint?: bigint;
  /** Active minutes counted per row, at most; default 60. */
  readonly maxActiveMinutes?: number;
  /** The most one viewer earns in one channel in the epoch. */
  readonly capPerViewerPerChannel?: bigint;
  /** The most one viewer earns across all channels in the epoch. */
  readonly capPerViewerPerEpoch?: bigint;
  readonly channelBudgets?: ChannelBudgets;
}

/** weighted-v1 parameters after validation, with defaults filled in. */
export interface WeightedV1Params {
  readonly epochBudget: bigint;
  readonly ratePerPoint: bigint;
  readonly maxActiveMinutes: number;
  readonly capPerViewerPerChannel?: bigint;
  readonly capPerViewerPerEpoch?: bigint;
  readonly channelBudgets?: ChannelBudgets;
}

const KNOWN = [
  'capPerViewerPerChannel',
  'capPerViewerPerEpoch',
  'channelBudgets',
  'epochBudget',
  'maxActiveMinutes',
  'ratePerPoint',
] as const;

/**
 * Validates raw weighted-v1 parameters and fills in defaults. Every amount must be a bigint in 1..U64_MAX (a zero
 * rate, cap or budget would pay nobody, so it is rejected as a likely mistake); unknown keys are errors.
 */
export function resolveWeightedV1Params(input: WeightedV1ParamsInput): WeightedV1Params {
  const raw = requireParamsObject(input, 'weighted-v1 params', KNOWN);
  const what = (key: string) => `weighted-v1 params.${key}`;
  const optional = (key: string) => (raw[key] === undefined ? undefined : requirePositiveU64Param(raw[key], what(key)));
  const epochBudget = requirePresent(raw.epochBudget, what('epochBudget'), 'the most one epoch may pay out');
  const resolved: WeightedV1Params = {
    epochBudget: requirePositiveU64Param(epochBudget, what('epochBudget')),
    ratePerPoint: requirePositiveU64Param(raw.ratePerPoint ?? WEIGHTED_V1_DEFAULTS.ratePerPoint, what('ratePerPoint')),
    maxActiveMinutes: requirePositiveIntegerParam(
      raw.maxActiveMinutes ?? WEIGHTED_V1_DEFAULTS.maxActiveMinutes,
      what('maxActiveMinutes'),
    ),
    capPerViewerPerChannel: optional('capPerViewerPerChannel'),
    capPerViewerPerEpoch: optional('capPerViewerPerEpoch'),
    channelBudgets: raw.channelBudgets === undefined ? undefined : resolveChannelBudgets(raw.channelBudgets),
  };
  return resolved;
}

/** The budget of `channel` under `budgets`, or undefined when it has none. */
export function channelBudgetOf(budgets: ChannelBudgets | undefined, channel: string): bigint | undefined {
  if (budgets === undefined) return undefined;
  const own = budgets.byChannel !== undefined && Object.hasOwn(budgets.byChannel, channel);
  return own ? budgets.byChannel?.[channel] : budgets.default;
}

function resolveChannelBudgets(value: unknown): ChannelBudgets {
  const what = 'weighted-v1 params.channelBudgets';
  const raw = requireParamsObject(value, what, ['byChannel', 'default']);
  let byChannel: Record<string, bigint> | undefined;
  if (raw.byChannel !== undefined) {
    requireArgument(isPlainObject(raw.byChannel), `${what}.byChannel must be a plain object of channel -> bigint`);
    // fromEntries defines own properties, so even a channel named "__proto__" stays an ordinary key.
    byChannel = Object.fromEntries(
      Object.entries(raw.byChannel).map(([channel, budget]) => {
        requireArgument(
          channel !== '' && !channel.includes('\u0000'),
          `${what}.byChannel keys must be non-empty channel names without NUL characters`,
        );
        return [channel, requirePositiveU64Param(budget, `${what}.byChannel[${JSON.stringify(channel)}]`)];
      }),
    );
  }
  return {
    default: raw.default === undefined ? undefined : requirePositiveU64Param(raw.default, `${what}.default`),
    byChannel,
  };
}
