// The program client of @attention-oracle/sdk: addresses, PDAs, accounts, instructions, claim transactions, events
// and errors of the Attention Oracle global-root path. The package's src/index.ts re-exports this surface.
export {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  ATTENTION_ORACLE_DEVNET_PROGRAM_ID,
  ATTENTION_ORACLE_MINT,
  ATTENTION_ORACLE_PROGRAM_ID,
  COMPUTE_BUDGET_PROGRAM_ID,
  LEGACY_TREASURY_ADDRESS,
  SYSTEM_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
} from './addresses.js';
export { type ClaimAccounts, type ClaimParties, resolveClaimAccounts } from './claim-accounts.js';
export {
  type ClaimGlobalInput,
  type ClaimGlobalSponsoredInput,
  getClaimGlobalInstruction,
  getClaimGlobalSponsoredInstruction,
} from './claim-global.js';
export {
  type ClaimGlobalSponsoredV2Input,
  type ClaimGlobalV2Input,
  getClaimGlobalSponsoredV2Instruction,
  getClaimGlobalV2Instruction,
} from './claim-global-v2.js';
export { type ClaimAmounts, type ClaimInput, getClaimInstruction, isSponsoredClaim } from './claim-instruction.js';
export { claimLookupTableAddresses } from './claim-lookup-table.js';
export {
  CLAIM_STATE_GLOBAL_SIZE,
  type ClaimStateGlobal,
  decodeClaimStateGlobal,
  encodeClaimStateGlobal,
} from './claim-state-global.js';
export { type BuildClaimTransactionInput, buildClaimTransaction, type ClaimTransaction } from './claim-transaction.js';
export {
  ACCOUNT_DISCRIMINATORS,
  type AccountName,
  type AnchorNamespace,
  anchorDiscriminator,
  EVENT_DISCRIMINATORS,
  type EventName,
  INSTRUCTION_DISCRIMINATORS,
  type InstructionName,
} from './discriminators.js';
export {
  decodeGlobalRewardsClaimed,
  decodeGlobalRootPublished,
  encodeGlobalRewardsClaimed,
  encodeGlobalRootPublished,
  GLOBAL_REWARDS_CLAIMED_SIZE,
  GLOBAL_ROOT_PUBLISHED_SIZE,
  type GlobalRewardsClaimed,
  type GlobalRootPublished,
} from './events.js';
export {
  decodeGlobalRootConfig,
  encodeGlobalRootConfig,
  GLOBAL_ROOT_CONFIG_SIZE,
  type GlobalRootConfig,
  ROOT_HISTORY_LENGTH,
  type RootEntry,
} from './global-root-config.js';
export { getInitializeGlobalRootInstruction, type InitializeGlobalRootInput } from './initialize-global-root.js';
export {
  getInitializeProtocolStateInstruction,
  type InitializeProtocolStateInput,
} from './initialize-protocol-state.js';
export {
  type AssociatedTokenAddressInput,
  findAssociatedTokenAddress,
  findClaimStateGlobalPda,
  findDefaultTreasuryAddress,
  findGlobalRootConfigPda,
  findProtocolStatePda,
  type ProgramDerivedAddress,
} from './pdas.js';
export { type ProgramConfig, type ResolvedProgramConfig, resolveProgramConfig } from './program-config.js';
export {
  isProgramError,
  ProgramError,
  ProgramErrorCode,
  type ProgramErrorContext,
  type ProgramErrorName,
} from './program-error.js';
export { programErrorFromLogs, programErrorFromTransactionError } from './program-error-parsing.js';
export {
  type AttentionOracleEvent,
  decodeEventLogLine,
  decodeProgramEvent,
  parseProgramEvents,
} from './program-events.js';
export { decodeProtocolState, encodeProtocolState, PROTOCOL_STATE_SIZE, type ProtocolState } from './protocol-state.js';
export {
  getPublishGlobalRootInstruction,
  PUBLISH_GLOBAL_ROOT_DATA_SIZE,
  type PublishGlobalRootInput,
} from './publish-global-root.js';
export { isRootServable, servableRoots } from './servable-roots.js';
export { getTransactionSize, MAX_TRANSACTION_SIZE, messageSize } from './transaction-size.js';
export { type MeasuredTransactionVersion, TransactionTooLargeError } from './transaction-too-large-error.js';
