// Bootstrapping a fresh local chain: the project's Token-2022 mint (9 decimals, 50 bps transfer fee), a treasury
// token account holding the supply, funded role keys, and (by default) the local Attention Oracle program with its own
// treasury. Every step checks the chain first, so a second run changes nothing, and an interrupted run completes on
// the next.
import { join } from 'node:path';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMintInstruction,
  createInitializeTransferFeeConfigInstruction,
  createMintToInstruction,
  ExtensionType,
  getAssociatedTokenAddressSync,
  getMintLen,
  getTransferFeeConfig,
  TOKEN_2022_PROGRAM_ID,
  unpackMint,
} from '@solana/spl-token';
import { type Connection, LAMPORTS_PER_SOL, type PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import type { LiteSVM } from 'litesvm';
import { type BootstrapTarget, bootstrapTarget } from './bootstrap-target.js';
import { loadOrCreateKeypair } from './keypair-file.js';
import { bootstrapLocalProgram, type DeployProgram, type LocalProgramOptions } from './local-program.js';

/** The mint facts the project relies on (notes/program-interface.md). */
export const LOCAL_MINT = { decimals: 9, transferFeeBasisPoints: 50 } as const;

/** Options of bootstrapLocalChain. */
export interface BootstrapOptions {
  /**
   * Base units minted (default 1e9 tokens): with the program, 9/10 to the program's treasury and 1/10 to the treasury
   * authority's account (enough for direct settlement by configuration); without it, all to the authority's account.
   */
  supply?: bigint;
  /** The transfer fee's cap in base units (default 1e6 tokens: the 50 bps applies to any realistic transfer). */
  maximumFee?: bigint;
  /**
   * The local Attention Oracle program (default: the committed build at the mainnet program id), or false for a
   * chain without it (settlement is then direct). False does not remove a program an earlier run deployed.
   */
  program?: LocalProgramOptions | false;
  /**
   * How program bytes reach a chain given as an RPC URL or Connection (startLocalChain passes its ledger's
   * addProgram); a LiteSVM target deploys by itself.
   */
  deploy?: DeployProgram;
}

/** The share of the supply the program's treasury receives, in tenths. */
const PROGRAM_TREASURY_TENTHS = 9n;

/** Where bootstrapLocalChain keeps the role keypairs under a data folder. */
export function localChainKeyPaths(dataDir: string) {
  const keys = join(dataDir, 'keys');
  return {
    mint: join(keys, 'mint.json'),
    publisher: join(keys, 'publisher.json'),
    sponsorFeePayer: join(keys, 'sponsor-fee-payer.json'),
    treasuryAuthority: join(keys, 'treasury-authority.json'),
  };
}

/** The public side of a bootstrapped chain. */
export interface LocalChainAccounts {
  mint: PublicKey;
  tokenProgram: PublicKey;
  decimals: number;
  transferFeeBasisPoints: number;
  maximumFee: bigint;
  /** The treasury authority's Token-2022 associated token account, holding the supply. */
  treasuryTokenAccount: PublicKey;
  treasuryAuthority: PublicKey;
  publisher: PublicKey;
  sponsorFeePayer: PublicKey;
  /** The Attention Oracle program, or null on a chain bootstrapped without it. */
  programId: PublicKey | null;
  /** The program's treasury (the Token-2022 ATA of its ProtocolState PDA), or null without the program. */
  programTreasury: PublicKey | null;
  /** The program's admin (the treasury authority), or null without the program. */
  admin: PublicKey | null;
  /** Keypair file of each role. */
  keyPaths: ReturnType<typeof localChainKeyPaths>;
}

// Each role is topped up to its target when it holds less than half of it.
const FUNDING = { treasuryAuthority: 100n, publisher: 100n, sponsorFeePayer: 10n };

async function fund(target: BootstrapTarget, key: PublicKey, sol: bigint): Promise<void> {
  const goal = sol * BigInt(LAMPORTS_PER_SOL);
  const balance = (await target.account(key))?.lamports ?? 0n;
  if (balance < goal / 2n) await target.airdrop(key, goal - balance);
}

/**
 * Creates (or finds) the local mint, treasury, funded roles and (unless `program: false`) the local program with its
 * ProtocolState, global root and funded treasury on the chain at `target` (an RPC URL, a Connection or a LiteSVM),
 * with role keypairs kept under `dataDir/keys`. Throws if an existing mint contradicts the mint facts, or an existing
 * ProtocolState names other keys.
 *
 * @example
 * const accounts = await bootstrapLocalChain(new LiteSVM(), dataDir);
 * console.log(accounts.programId?.toBase58(), accounts.programTreasury?.toBase58());
 */
export async function bootstrapLocalChain(
  target: string | Connection | LiteSVM,
  dataDir: string,
  options: BootstrapOptions = {},
): Promise<LocalChainAccounts> {
  const chain = bootstrapTarget(target, options.deploy);
  const keyPaths = localChainKeyPaths(dataDir);
  const mint = loadOrCreateKeypair(keyPaths.mint);
  const authority = loadOrCreateKeypair(keyPaths.treasuryAuthority);
  const publisher = loadOrCreateKeypair(keyPaths.publisher);
  const sponsor = loadOrCreateKeypair(keyPaths.sponsorFeePayer);
  await fund(chain, authority.publicKey, FUNDING.treasuryAuthority);
  await fund(chain, publisher.publicKey, FUNDING.publisher);
  await fund(chain, sponsor.publicKey, FUNDING.sponsorFeePayer);

  const program = TOKEN_2022_PROGRAM_ID;
  const maximumFee = options.maximumFee ?? 1_000_000n * 10n ** 9n;
  let mintAccount = await chain.account(mint.publicKey);
  if (!mintAccount) {
    const space = getMintLen([ExtensionType.TransferFeeConfig]);
    const rentFunded = await chain.rentExempt(space);
    await chain.send(
      new Transaction({ feePayer: authority.publicKey }).add(
        SystemProgram.createAccount({
          fromPubkey: authority.publicKey,
          newAccountPubkey: mint.publicKey,
          space,
          lamports: rentFunded,
          programId: program,
        }),
        createInitializeTransferFeeConfigInstruction(
          mint.publicKey,
          authority.publicKey,
          authority.publicKey,
          LOCAL_MINT.transferFeeBasisPoints,
          maximumFee,
          program,
        ),
        createInitializeMintInstruction(mint.publicKey, LOCAL_MINT.decimals, authority.publicKey, null, program),
      ),
      [authority, mint],
    );
    mintAccount = await chain.account(mint.publicKey);
  }
  const decoded = checkMint(mint.publicKey, mintAccount);

  const treasury = getAssociatedTokenAddressSync(mint.publicKey, authority.publicKey, false, program);
  const supply = options.supply ?? 1_000_000_000n * 10n ** 9n;
  const programShare = options.program === false ? 0n : (supply * PROGRAM_TREASURY_TENTHS) / 10n;
  const instructions = [];
  if (!(await chain.account(treasury))) {
    instructions.push(
      createAssociatedTokenAccountIdempotentInstruction(
        authority.publicKey,
        treasury,
        authority.publicKey,
        mint.publicKey,
        program,
      ),
    );
  }
  if (decoded.supply === 0n) {
    instructions.push(
      createMintToInstruction(mint.publicKey, treasury, authority.publicKey, supply - programShare, [], program),
    );
  }
  if (instructions.length > 0)
    await chain.send(new Transaction({ feePayer: authority.publicKey }).add(...instructions), [authority]);
  const local =
    options.program === false
      ? null
      : await bootstrapLocalProgram(
          chain,
          { mint: mint.publicKey, authority, publisher: publisher.publicKey, treasuryFunding: programShare },
          options.program,
        );

  return {
    mint: mint.publicKey,
    tokenProgram: program,
    decimals: LOCAL_MINT.decimals,
    transferFeeBasisPoints: LOCAL_MINT.transferFeeBasisPoints,
    maximumFee: decoded.maximumFee,
    treasuryTokenAccount: treasury,
    treasuryAuthority: authority.publicKey,
    publisher: publisher.publicKey,
    sponsorFeePayer: sponsor.publicKey,
    programId: local?.programId ?? null,
    programTreasury: local?.treasury ?? null,
    admin: local?.admin ?? null,
    keyPaths,
  };
}

function checkMint(key: PublicKey, account: Awaited<ReturnType<BootstrapTarget['account']>>) {
  if (!account?.owner.equals(TOKEN_2022_PROGRAM_ID)) {
    throw new Error(`local mint ${key.toBase58()} is missing or not a Token-2022 mint`);
  }
  const mint = unpackMint(
    key,
    { ...account, lamports: Number(account.lamports), executable: false },
    TOKEN_2022_PROGRAM_ID,
  );
  const fee = getTransferFeeConfig(mint)?.newerTransferFee;
  if (mint.decimals !== LOCAL_MINT.decimals || fee?.transferFeeBasisPoints !== LOCAL_MINT.transferFeeBasisPoints) {
    throw new Error(
      `local mint ${key.toBase58()} exists with other parameters than 9 decimals and a 50 bps transfer fee`,
    );
  }
  return { supply: mint.supply, maximumFee: fee.maximumFee };
}
