import { PublicKey } from '@solana/web3.js';

// Mainnet defaults, exported by name so that nothing buries them: every builder takes its program id, mint and
// treasury from a config that falls back to these (see `resolveProgramConfig`).

/**
 * The Attention Oracle program on mainnet (immutable).
 *
 * @example getClaimGlobalInstruction(input, { programId: ATTENTION_ORACLE_PROGRAM_ID })
 */
export const ATTENTION_ORACLE_PROGRAM_ID = /* @__PURE__ */ new PublicKey(
  'GnGzNdsQMxMpJfMeqnkGPsvHm8kwaDidiKjNU2dCVZop',
);

/**
 * The devnet build of the program.
 *
 * @example resolveProgramConfig({ programId: ATTENTION_ORACLE_DEVNET_PROGRAM_ID, mint: devnetMint })
 */
export const ATTENTION_ORACLE_DEVNET_PROGRAM_ID = /* @__PURE__ */ new PublicKey(
  'GmGXXNjLhxKdEfCqnYgW2tev4DewPvgUXzhsVfm677VW',
);

/**
 * The current reward mint on mainnet (Token-2022, 9 decimals, 50 bps transfer fee withheld in the recipient account).
 *
 * @example findGlobalRootConfigPda({ mint: ATTENTION_ORACLE_MINT })
 */
export const ATTENTION_ORACLE_MINT = /* @__PURE__ */ new PublicKey('Dxk8mAb3C7AM8JN6tAJfVuSja5yidhZM5sEKW3SRX2BM');

/**
 * The treasury older documents name: the Token-2022 ATA of the legacy `["protocol", mint]` PDA. Not the default
 * (the default is derived, see `findDefaultTreasuryAddress`); pass it as `treasury` if the deployed binary wants it.
 *
 * @example buildClaimTransaction(input, { treasury: LEGACY_TREASURY_ADDRESS })
 */
export const LEGACY_TREASURY_ADDRESS = /* @__PURE__ */ new PublicKey('95qQ4kePYadvMQETjjqCmHJLzJq9YnrAEBwtVfzqMwAF');

/**
 * The Token-2022 program, which owns the mint and every token account a claim touches.
 *
 * @example findAssociatedTokenAddress({ owner, mint, tokenProgram: TOKEN_2022_PROGRAM_ID })
 */
export const TOKEN_2022_PROGRAM_ID = /* @__PURE__ */ new PublicKey('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb');

/**
 * The associated token account program (creates the claimer's token account on first claim).
 *
 * @example resolveProgramConfig({ associatedTokenProgram: ASSOCIATED_TOKEN_PROGRAM_ID })
 */
export const ASSOCIATED_TOKEN_PROGRAM_ID = /* @__PURE__ */ new PublicKey(
  'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL',
);

/**
 * The System program (pays rent for accounts the program creates).
 *
 * @example resolveProgramConfig({ systemProgram: SYSTEM_PROGRAM_ID })
 */
export const SYSTEM_PROGRAM_ID = /* @__PURE__ */ new PublicKey('11111111111111111111111111111111');

/**
 * The Compute Budget program (compute unit limit and price instructions).
 *
 * @example claimLookupTableAddresses().some((a) => a.equals(COMPUTE_BUDGET_PROGRAM_ID)) // true
 */
export const COMPUTE_BUDGET_PROGRAM_ID = /* @__PURE__ */ new PublicKey('ComputeBudget111111111111111111111111111111');
