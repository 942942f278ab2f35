// The local Attention Oracle program on a local chain: the committed build (programs/attention-oracle) deployed at the
// mainnet program id, ProtocolState and the global root initialized, and a treasury funded, so that the chain settles
// through the program (merkle) as mainnet does. Every step checks the chain first: a second run changes nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ATTENTION_ORACLE_PROGRAM_ID,
  decodeProtocolState,
  findDefaultTreasuryAddress,
  findGlobalRootConfigPda,
  findProtocolStatePda,
  getInitializeGlobalRootInstruction,
  getInitializeProtocolStateInstruction,
} from '@attention-oracle/sdk';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createMintToInstruction,
  TOKEN_2022_PROGRAM_ID,
} from '@solana/spl-token';
import { type Keypair, PublicKey, Transaction, type TransactionInstruction } from '@solana/web3.js';
import type { BootstrapTarget } from './bootstrap-target.js';

/**
 * The committed build of the local program, resolved from this file so any working directory finds it.
 *
 * @example ledger.addProgram(programId.toBase58(), readFileSync(LOCAL_PROGRAM_PATH));
 */
export const LOCAL_PROGRAM_PATH = fileURLToPath(
  new URL('../../../../programs/attention-oracle/attention_oracle.so', import.meta.url),
);

/** Which program a local chain runs. */
export interface LocalProgramOptions {
  /** Where the program is deployed. Default the mainnet id (ATTENTION_ORACLE_PROGRAM_ID), so SDK defaults work. */
  programId?: PublicKey;
  /** The program's ELF. Default {@link LOCAL_PROGRAM_PATH}. */
  path?: string;
}

/** How program bytes get onto a chain (a LiteSVM's or a local ledger's addProgram). */
export type DeployProgram = (programId: PublicKey, elf: Uint8Array) => void;

/** The program's accounts on a bootstrapped chain. */
export interface LocalProgram {
  programId: PublicKey;
  /** The Token-2022 ATA of the ProtocolState PDA: the treasury claims are paid from. */
  treasury: PublicKey;
  /** ProtocolState's admin (the treasury authority). */
  admin: PublicKey;
}

// UpgradeableLoaderState::ProgramData: u32 tag, u64 slot, Option<Pubkey> authority, then the ELF.
const PROGRAM_DATA_HEADER = 45;
const UPGRADEABLE_LOADER = new PublicKey('BPFLoaderUpgradeab1e11111111111111111111111');

/** The ELF deployed at `programId`, or null when no upgradeable program is there. */
async function deployedElf(target: BootstrapTarget, programId: PublicKey): Promise<Uint8Array | null> {
  const program = await target.account(programId);
  if (!program?.owner.equals(UPGRADEABLE_LOADER) || program.data.length !== 36) return null;
  const programData = await target.account(new PublicKey(program.data.subarray(4, 36)));
  return programData ? programData.data.subarray(PROGRAM_DATA_HEADER) : null;
}

/**
 * Deploys the ELF at `path` at `programId` unless those exact bytes are already there (a changed build replaces the
 * old one). Throws when a deploy is needed and the target cannot deploy (a plain RPC endpoint).
 */
async function ensureDeployed(target: BootstrapTarget, programId: PublicKey, path: string): Promise<void> {
  let elf: Uint8Array;
  try {
    elf = readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read the local program ${path}: ${(error as Error).message}`);
  }
  const current = await deployedElf(target, programId);
  if (current !== null && Buffer.from(current).equals(elf)) return;
  if (!target.deploy) {
    throw new Error(
      `the program at ${programId.toBase58()} is ${current === null ? 'missing' : 'another build'} and cannot be ` +
        'deployed over RPC: start the chain with startLocalChain (or pnpm chain), which deploys it',
    );
  }
  target.deploy(programId, elf);
}

/** Where the bootstrap left the mint and its holders. */
export interface ProgramBootstrapInput {
  mint: PublicKey;
  /** Mint authority; becomes ProtocolState's admin and pays. */
  authority: Keypair;
  publisher: PublicKey;
  /** Base units minted to the program's treasury when it is created. */
  treasuryFunding: bigint;
}

/**
 * Deploys the program (see `ensureDeployed`), then in one transaction whatever is missing of: ProtocolState (admin =
 * the authority, publisher and oracle authority = the publisher, treasury = the ATA of ProtocolState),
 * GlobalRootConfig for the mint, and the treasury account holding `treasuryFunding` freshly minted base units.
 * Throws if an existing ProtocolState names other keys or another mint.
 *
 * @example
 * const { programId, treasury } = await bootstrapLocalProgram(svmTarget(svm), { mint, authority, publisher, treasuryFunding: 10n ** 17n });
 */
export async function bootstrapLocalProgram(
  target: BootstrapTarget,
  input: ProgramBootstrapInput,
  options: LocalProgramOptions = {},
): Promise<LocalProgram> {
  const programId = options.programId ?? ATTENTION_ORACLE_PROGRAM_ID;
  await ensureDeployed(target, programId, options.path ?? LOCAL_PROGRAM_PATH);
  const { mint, authority, publisher } = input;
  const config = { programId, mint };
  const treasury = findDefaultTreasuryAddress(config);
  const admin = authority.publicKey;
  const instructions: TransactionInstruction[] = [];

  const protocolState = findProtocolStatePda(config).address;
  const existing = await target.account(protocolState);
  if (existing) {
    const state = decodeProtocolState(existing.data);
    const mismatch = [
      state.admin.equals(admin) ? '' : `admin ${state.admin.toBase58()}`,
      state.publisher.equals(publisher) ? '' : `publisher ${state.publisher.toBase58()}`,
      state.treasury.equals(treasury) ? '' : `treasury ${state.treasury.toBase58()}`,
      state.mint.equals(mint) ? '' : `mint ${state.mint.toBase58()}`,
    ].filter(Boolean);
    if (mismatch.length > 0) {
      throw new Error(
        `the program's ProtocolState ${protocolState.toBase58()} names ${mismatch.join(', ')}, not this chain's keys`,
      );
    }
  } else {
    instructions.push(
      getInitializeProtocolStateInstruction({ admin, publisher, treasury, oracleAuthority: publisher }, config),
    );
  }
  if (!(await target.account(findGlobalRootConfigPda(config).address))) {
    instructions.push(getInitializeGlobalRootInstruction({ payer: admin }, config));
  }
  if (!(await target.account(treasury))) {
    instructions.push(
      createAssociatedTokenAccountIdempotentInstruction(admin, treasury, protocolState, mint, TOKEN_2022_PROGRAM_ID),
    );
    if (input.treasuryFunding > 0n) {
      instructions.push(
        createMintToInstruction(mint, treasury, admin, input.treasuryFunding, [], TOKEN_2022_PROGRAM_ID),
      );
    }
  }
  if (instructions.length > 0)
    await target.send(new Transaction({ feePayer: admin }).add(...instructions), [authority]);
  return { programId, treasury, admin };
}
