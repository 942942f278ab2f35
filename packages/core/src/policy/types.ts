/** Ids of the allocation policies this library knows. A policy's behaviour never changes under the same id. */
export type PolicyId = 'weighted-v1' | 'promo-v1';

/**
 * What one viewer did in one channel during one epoch. `viewer` is an opaque viewer key (such as a numeric Twitch
 * user id); every counter is a non-negative safe integer.
 */
export interface ParticipationRow {
  readonly channel: string;
  readonly viewer: string;
  readonly activeMinutes: number;
  readonly messages: number;
  readonly subs: number;
  readonly resubs: number;
  readonly giftedSubs: number;
  readonly bits: number;
  readonly raidViewers: number;
}

/** A {@link ParticipationRow} tagged with its epoch id (the epoch's start unix second), for multi-epoch policies. */
export interface EpochParticipationRow extends ParticipationRow {
  readonly epoch: number;
}

/** The counter fields of a {@link ParticipationRow}. */
export type ParticipationCounter = Exclude<keyof ParticipationRow, 'channel' | 'viewer'>;

/** Every counter field, in declaration order, so validation can name the offending one. */
export const PARTICIPATION_COUNTERS: readonly ParticipationCounter[] = [
  'activeMinutes',
  'messages',
  'subs',
  'resubs',
  'giftedSubs',
  'bits',
  'raidViewers',
];

/** Viewer keys whose rows are dropped before a policy looks at anything else. */
export interface Exclusions {
  /** Viewers who asked not to be rewarded (or were suppressed by an operator). */
  readonly suppressed: Iterable<string>;
  readonly bots: Iterable<string>;
}

/**
 * One payout line. `channel` is null for policies that pay per viewer across channels. `points` is the policy's
 * measure of participation; `amount` is in token base units.
 */
export interface Allocation {
  readonly channel: string | null;
  readonly viewer: string;
  readonly points: bigint;
  readonly amount: bigint;
}

/** The outcome of running a policy. */
export interface PolicyResult {
  readonly policyId: PolicyId;
  /** Lowercase hex keccak-256 of the canonical resolved parameters (see `policyParamsHash`). */
  readonly paramsHash: string;
  /** Sorted by channel (null first) then viewer, by plain string comparison; no amount is zero. */
  readonly allocations: Allocation[];
  /** Sum of the amounts; never above the policy's budget. */
  readonly total: bigint;
  /** True when a channel budget or the overall budget was exceeded and amounts were scaled down to it. */
  readonly scaledByBudget: boolean;
}

/** Input of a policy run: its rows, who to exclude, and raw parameters (validated, defaults filled in). */
export interface PolicyInput<Row, ParamsInput> {
  readonly rows: readonly Row[];
  readonly exclusions: Exclusions;
  readonly params: ParamsInput;
}

/** A registered policy: a pure, versioned function from rows and parameters to allocations. */
export interface Policy<Row, ParamsInput, Params> {
  readonly id: PolicyId;
  /** Validates raw parameters and fills in defaults; throws InvalidArgumentError on anything wrong. */
  resolveParams(params: ParamsInput): Params;
  /** The hash a {@link PolicyResult} carries for these parameters (after defaults are filled in). */
  paramsHash(params: ParamsInput): string;
  allocate(input: PolicyInput<Row, ParamsInput>): PolicyResult;
}
