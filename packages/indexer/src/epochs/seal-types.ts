import type { SealPolicy } from './seal-policy.js';

/** Options of `sealEpoch` and `sealReadyEpochs`. Durations in seconds. */
export interface SealOptions {
  /** Epoch length (3600 for hourly epochs); must match the epochs rows. */
  readonly epochSeconds: number;
  /** Extra wait after an epoch ends before it may seal, for events in flight. */
  readonly graceSeconds: number;
  /** A live collector silent for longer than this is declared dead: ignored, reported and audited. */
  readonly deadAfterSeconds: number;
  readonly policy: SealPolicy;
  /** The current time, unix milliseconds (default `Date.now()`); it is also the recorded `sealed_at`. */
  readonly now?: number;
  /** Who the audit log names (default `indexer`). */
  readonly actor?: string;
}

/** A sealed epoch, as this call sealed it or as an earlier call did (`alreadySealed`). */
export interface SealedEpoch {
  readonly sealed: true;
  readonly alreadySealed: boolean;
  readonly epoch: number;
  readonly policyId: string;
  readonly paramsHash: string;
  /** Lowercase hex keccak256 of the seal's canonical inputs (see `sealInputHash`). */
  readonly inputHash: string;
  readonly eventCount: number;
  /** Distinct viewers among the rows the seal used, after exclusions. */
  readonly participantCount: number;
  readonly allocationCount: number;
  /** Sum of the allocations, base units. */
  readonly total: bigint;
  readonly scaledByBudget: boolean;
  /** Collectors declared dead when this call checked readiness (empty for imports and already sealed epochs). */
  readonly dead: string[];
}

/** An epoch that may not seal yet, and why. */
export interface EpochNotReady {
  readonly sealed: false;
  readonly epoch: number;
  readonly reason: string;
  /** Live collectors that have not flushed through the epoch's end plus grace. */
  readonly waitingFor: string[];
  /** Collectors declared dead (ignored for the decision). */
  readonly dead: string[];
}

/** The outcome of a seal attempt. */
export type SealResult = SealedEpoch | EpochNotReady;
