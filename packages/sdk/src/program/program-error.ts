import { LEGACY_TREASURY_ADDRESS } from './addresses.js';

// Codes are the numbers the chain reports: the program's custom errors (6000 + variant index, fixed forever because
// the deployed program is immutable) and the few Anchor framework errors a claim or publish can hit. They are never
// renumbered or reused. SDK-side errors (network, not found, ...) take codes from 10,000 up, clear of both ranges.

/**
 * The error numbers this SDK names, by name. Switch on these, not on messages.
 *
 * @example if (isProgramError(e, ProgramErrorCode.RootTooOldOrMissing)) refetchProof();
 */
export const ProgramErrorCode = {
  InstructionFallbackNotFound: 101,
  InstructionDidNotDeserialize: 102,
  ConstraintMut: 2000,
  ConstraintSeeds: 2006,
  ConstraintAssociated: 2009,
  ConstraintAddress: 2012,
  ConstraintTokenMint: 2014,
  ConstraintTokenOwner: 2015,
  AccountDiscriminatorMismatch: 3002,
  AccountOwnedByWrongProgram: 3007,
  AccountNotSigner: 3010,
  AccountNotInitialized: 3012,
  Unauthorized: 6000,
  ProtocolPaused: 6002,
  InvalidProof: 6004,
  InvalidProofLength: 6005,
  InvalidRootSeq: 6006,
  RootTooOldOrMissing: 6007,
  InvalidClaimState: 6008,
  InvalidChannelState: 6009,
  InvalidMint: 6016,
  InvalidTokenProgram: 6019,
  MathOverflow: 6041,
  GlobalRootNotInitialized: 6052,
} as const;

/** A named error number. */
export type ProgramErrorCode = (typeof ProgramErrorCode)[keyof typeof ProgramErrorCode];

/** A name from {@link ProgramErrorCode}, or `Unknown` for a number this SDK does not name. */
export type ProgramErrorName = keyof typeof ProgramErrorCode | 'Unknown';

const TREASURY_ADVICE =
  'the treasury account is not the one the deployed program requires; set `treasury` in the program config ' +
  `(the default is the Token-2022 ATA of ProtocolState for the mint; older documents name ${LEGACY_TREASURY_ADDRESS.toBase58()})`;

const MESSAGES: Record<keyof typeof ProgramErrorCode, string> = {
  InstructionFallbackNotFound:
    'the deployed program has no such instruction (its binary may predate it, e.g. claim_global_v2 for V5 leaves)',
  InstructionDidNotDeserialize: 'the program could not decode the instruction arguments',
  ConstraintMut: 'an account the instruction writes was passed read-only',
  ConstraintSeeds: 'an account is not the PDA the program derives: check the program id and mint in the config',
  ConstraintAssociated: 'a token account is not the associated token account the program expects',
  ConstraintAddress: 'an account is not the address the program requires',
  ConstraintTokenMint: 'a token account holds another mint',
  ConstraintTokenOwner: 'a token account has another owner than the program expects',
  AccountDiscriminatorMismatch: 'an account holds another kind of data than the instruction expects',
  AccountOwnedByWrongProgram: 'an account is not owned by the program that should own it (a forged or wrong account)',
  AccountNotSigner: 'an account that must sign did not',
  AccountNotInitialized: 'an account the instruction reads does not exist',
  Unauthorized: 'the signer is neither the protocol admin nor the publisher',
  ProtocolPaused: 'the protocol is paused: claims, and publishing by the publisher, wait until the admin unpauses it',
  InvalidProof: 'the merkle proof does not lead to the root of this root_seq: wallet, amounts or proof do not match it',
  InvalidProofLength: 'the proof has more than 32 siblings',
  InvalidRootSeq: 'root_seq must be exactly the latest root seq on chain + 1: read it from chain and rebuild',
  RootTooOldOrMissing: 'root_seq is not one of the four most recent roots on chain (too old, or never published)',
  InvalidClaimState: 'the claim state account belongs to another mint or wallet',
  InvalidChannelState: 'the global root config has a version this program does not accept',
  InvalidMint: 'the mint is not the protocol mint',
  InvalidTokenProgram: 'the token program must be Token-2022',
  MathOverflow: 'an amount overflowed u64 (base_yield + attention_bonus, or the claimed delta)',
  GlobalRootNotInitialized: 'the global root config of this mint is not initialized: run initialize_global_root first',
};

const NAMES = new Map<number, keyof typeof ProgramErrorCode>(
  Object.entries(ProgramErrorCode).map(([name, code]) => [code, name as keyof typeof ProgramErrorCode]),
);

/** Where the chain said an error happened. */
export interface ProgramErrorContext {
  /** Index of the failing instruction in its transaction. */
  readonly instructionIndex?: number | undefined;
  /** The account Anchor named (`AnchorError caused by account: <name>`), e.g. `treasury_ata`. */
  readonly accountName?: string | undefined;
  /** The program that raised an error this SDK does not name, when the logs show it. */
  readonly raisedBy?: string | undefined;
  readonly logs?: readonly string[] | undefined;
  readonly cause?: unknown;
}

function describe(name: ProgramErrorName, code: number, context: ProgramErrorContext): string {
  const where = context.accountName === undefined ? '' : ` (account ${context.accountName})`;
  if (name === 'Unknown') {
    const by = context.raisedBy === undefined ? '' : ` raised by program ${context.raisedBy}`;
    return `Unknown (${code}): custom program error ${code} (0x${code.toString(16)})${by}${where}`;
  }
  const treasury = context.accountName === 'treasury_ata' && name.startsWith('Constraint');
  return `${name} (${code}): ${treasury ? TREASURY_ADVICE : MESSAGES[name]}${where}`;
}

/**
 * An error the Attention Oracle program (or Anchor on its behalf) returned, with a stable numeric `code`, its
 * `name` and a message saying what to do.
 *
 * @example
 * const err = new ProgramError(6007, { instructionIndex: 1 });
 * err.name; // 'RootTooOldOrMissing'
 */
export class ProgramError extends Error {
  override readonly name: ProgramErrorName;
  readonly code: number;
  readonly instructionIndex: number | undefined;
  readonly accountName: string | undefined;
  readonly raisedBy: string | undefined;
  readonly logs: readonly string[] | undefined;

  constructor(code: number, context: ProgramErrorContext = {}) {
    const name: ProgramErrorName = NAMES.get(code) ?? 'Unknown';
    super(describe(name, code, context), context.cause === undefined ? undefined : { cause: context.cause });
    this.name = name;
    this.code = code;
    this.instructionIndex = context.instructionIndex;
    this.accountName = context.accountName;
    this.raisedBy = context.raisedBy;
    this.logs = context.logs;
  }
}

/**
 * Whether `error` is a {@link ProgramError}, and when `code` is given, one with that code.
 *
 * @example if (isProgramError(e, ProgramErrorCode.InvalidProof)) reportBadProof();
 */
export function isProgramError(error: unknown, code?: number): error is ProgramError {
  return error instanceof ProgramError && (code === undefined || error.code === code);
}
