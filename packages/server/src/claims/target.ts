// What a merkle claim of a wallet would be: the root it claims against (servable here and still among the program's
// four), the wallet's leaf and proof, and what the chain says it already claimed. Every claim path starts here.
import type { WalletProof } from '@attention-oracle/core';
import type { ChainContext } from '@attention-oracle/indexer';
import {
  decodeClaimStateGlobal,
  decodeGlobalRootConfig,
  findClaimStateGlobalPda,
  type ProgramConfig,
  ROOT_HISTORY_LENGTH,
  resolveProgramConfig,
} from '@attention-oracle/sdk';
import { PublicKey } from '@solana/web3.js';
import type { ServerDeps } from '../context.js';
import { fail, ok, type Result } from '../errors.js';
import { hex } from '../hex.js';
import { parseWallet } from '../proofs.js';
import type { CachedRoot } from '../trees.js';

/** A claim the program would pay now. */
export interface ClaimTarget {
  readonly chain: ChainContext;
  /** The program, mint and treasury the SDK's builders take. */
  readonly program: ProgramConfig;
  readonly wallet: PublicKey;
  readonly address: string;
  readonly root: CachedRoot;
  readonly leaf: WalletProof;
  /** The leaf's cumulative total (gross, base units). */
  readonly total: bigint;
  /** ClaimStateGlobal.claimed_total on chain (0 before the first claim). */
  readonly claimed: bigint;
  /** total - claimed (> 0). */
  readonly claimable: bigint;
  /** The slot the chain state was read at. */
  readonly slot: bigint;
}

/** Which root an answer is about and the slot its chain figures were read at (decimal strings, root in hex). */
export interface ClaimRootRef {
  readonly rootSeq: string;
  readonly root: string;
  /** The slot the root was published in. */
  readonly rootSlot: string | null;
  /** The slot the claimed amount was read at. */
  readonly validAsOfSlot: string;
}

/**
 * The root reference of a claim answer.
 *
 * @example return ok({ wallet, ...claimRootRef(target), amount });
 */
export function claimRootRef(target: Pick<ClaimTarget, 'root' | 'slot'>): ClaimRootRef {
  const { record } = target.root;
  return {
    rootSeq: record.seq.toString(),
    root: hex(record.root),
    rootSlot: record.publishSlot?.toString() ?? null,
    validAsOfSlot: target.slot.toString(),
  };
}

/**
 * The chain in merkle settlement, or why claims through the program are impossible (no chain, direct settlement).
 *
 * @example const chain = merkleChain(ctx.chain); if (!chain.ok) return chain;
 */
export function merkleChain(chain: ChainContext | null): Result<ChainContext> {
  if (chain === null) return fail('PRECONDITION_FAILED', 'no chain configured: claims need one');
  if (chain.settlement === 'direct') {
    return fail(
      'PRECONDITION_FAILED',
      `settlement is direct (${chain.settlementReason}): there is no program to claim through; use claims.direct`,
    );
  }
  return ok(chain);
}

/** The root to claim against: `seq` when given (servable and published), else the newest published one. */
function claimRoot(deps: Pick<ServerDeps, 'trees'>, seq: bigint | undefined): Result<CachedRoot> {
  const published = deps.trees.list().filter((root) => root.record.status === 'published');
  const newest = published[0];
  if (seq === undefined) {
    return newest === undefined ? fail('NOT_FOUND', 'no root is published yet: nothing can be claimed') : ok(newest);
  }
  const found = published.find((root) => root.record.seq === seq);
  if (found !== undefined) return ok(found);
  const oldest = published[published.length - 1];
  if (newest !== undefined && oldest !== undefined && seq < oldest.record.seq) {
    return fail(
      'PRECONDITION_FAILED',
      `root ${seq} can no longer be claimed against: the program keeps only the ${ROOT_HISTORY_LENGTH} newest roots ` +
        `(${oldest.record.seq}..${newest.record.seq}); claim against root ${newest.record.seq} (omit seq)`,
    );
  }
  return fail('NOT_FOUND', `root ${seq} is not published${newest ? ` (newest: ${newest.record.seq})` : ''}`);
}

/**
 * The wallet's claim against root `seq` (default the newest published), or a failure saying why there is none: no
 * chain, direct settlement, a bad wallet, a root that is not servable (or rotated out of the program's four), no leaf,
 * or nothing left to claim.
 *
 * @example const target = await claimTarget(ctx, 'So1...', undefined); if (target.ok) console.log(target.value.claimable);
 */
export async function claimTarget(
  deps: Pick<ServerDeps, 'chain' | 'trees'>,
  wallet: string,
  seq: bigint | undefined,
): Promise<Result<ClaimTarget>> {
  const parsed = parseWallet(wallet);
  if (!parsed.ok) return parsed;
  const merkle = merkleChain(deps.chain);
  if (!merkle.ok) return merkle;
  const chain = merkle.value;
  const found = claimRoot(deps, seq);
  if (!found.ok) return found;
  const root = found.value;
  const rootSeq = root.record.seq;
  const leaf = root.tree.proofForWallet(parsed.value);
  if (leaf === null) return fail('NOT_FOUND', `wallet ${wallet} has no leaf in root ${rootSeq}: nothing to claim`);

  const program: ProgramConfig = { programId: chain.programId, mint: chain.mint, treasury: chain.treasury };
  const owner = new PublicKey(parsed.value);
  const claimState = findClaimStateGlobalPda(owner, program).address;
  const { context, value } = await chain.client
    .connection()
    .getMultipleAccountsInfoAndContext([resolveProgramConfig(program).globalRootConfig, claimState], 'confirmed');
  const [configAccount, stateAccount] = value;
  if (!configAccount) {
    return fail('PRECONDITION_FAILED', 'the program has no global root for this mint on the configured chain');
  }
  const onChain = decodeGlobalRootConfig(configAccount.data).roots[Number(rootSeq % BigInt(ROOT_HISTORY_LENGTH))];
  if (onChain === undefined || onChain.seq !== rootSeq) {
    return fail(
      'PRECONDITION_FAILED',
      `root ${rootSeq} is no longer among the program's ${ROOT_HISTORY_LENGTH} newest roots on chain ` +
        '(RootTooOldOrMissing); claim against the newest root (omit seq)',
    );
  }
  if (!Buffer.from(onChain.root).equals(Buffer.from(root.record.root))) {
    return fail('PRECONDITION_FAILED', `root ${rootSeq} on chain differs from the one served here: not claimable`);
  }
  const claimed = stateAccount ? decodeClaimStateGlobal(stateAccount.data).claimedTotal : 0n;
  const total = leaf.entry.cumulativeTotal;
  if (total <= claimed) {
    return fail(
      'PRECONDITION_FAILED',
      `nothing to claim: root ${rootSeq} gives wallet ${wallet} ${total} in total and ${claimed} is already claimed`,
    );
  }
  return ok({
    chain,
    program,
    wallet: owner,
    address: wallet,
    root,
    leaf,
    total,
    claimed,
    claimable: total - claimed,
    slot: BigInt(context.slot),
  });
}
