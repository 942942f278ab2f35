// bench:cu: compute units of this implementation of the Attention Oracle program (programs/attention-oracle) on the
// local chain, read from each transaction's meta (computeUnitsConsumed): claim_global at proof depths 1, 10 and 20 as
// first claims of random wallets (they create the claim state and the claimer's token account), a repeat claim with a
// transfer, publish_global_root, and as the baseline a plain ATA create + Token-2022 transfer_checked transaction.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globalV4LeafHash, processProof } from '@attention-oracle/core';
import {
  createRpcClient,
  decodeGlobalRootConfig,
  getClaimInstruction,
  getPublishGlobalRootInstruction,
  type ProgramConfig,
  type RpcClient,
  resolveProgramConfig,
  sendAndConfirm,
} from '@attention-oracle/sdk';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
  TOKEN_2022_PROGRAM_ID,
} from '@solana/spl-token';
import { type Connection, Keypair, Transaction, type TransactionInstruction } from '@solana/web3.js';
import { type LocalChain, readKeypairFile, startLocalChain } from '../packages/indexer/src/chain/index.js';
import { progress, report } from './lib/report.js';

/** Random wallets measured per depth (first claims); the median is the figure, the max is reported beside it. */
const WALLETS = 25;
const DEPTHS = [1, 10, 20] as const;
const TOKEN = 1_000_000_000n;

interface Bench {
  chain: LocalChain;
  client: RpcClient;
  connection: Connection;
  config: ProgramConfig;
  publisher: Keypair;
  authority: Keypair;
}

/** Sends `instructions` signed by `signers` (the first pays) and returns the compute units its meta records. */
async function unitsOf(b: Bench, instructions: TransactionInstruction[], signers: Keypair[]): Promise<number> {
  const [payer] = signers;
  if (!payer) throw new Error('a transaction needs a fee payer');
  const { blockhash, lastValidBlockHeight } = await b.connection.getLatestBlockhash('confirmed');
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(...instructions);
  tx.sign(...signers);
  const { signature } = await sendAndConfirm(b.client, tx, { lastValidBlockHeight, pollEveryMs: 5 });
  const landed = await b.connection.getTransaction(signature, {
    commitment: 'confirmed',
    maxSupportedTransactionVersion: 0,
  });
  const units = landed?.meta?.computeUnitsConsumed;
  if (units === undefined) throw new Error(`no compute units recorded for ${signature}`);
  return units;
}

async function nextSeq(b: Bench): Promise<bigint> {
  const info = await b.connection.getAccountInfo(resolveProgramConfig(b.config).globalRootConfig, 'confirmed');
  if (!info) throw new Error('the local chain has no global root config: was it started with the program?');
  return decodeGlobalRootConfig(info.data).latestRootSeq + 1n;
}

/**
 * Publishes a root whose only claimable leaf is `claimer`'s total under `depth` random siblings (the program does not
 * care how the tree looked), then claims it; returns the compute units of both.
 */
async function publishAndClaim(b: Bench, claimer: Keypair, total: bigint, depth: number) {
  const rootSeq = await nextSeq(b);
  const leaf = globalV4LeafHash(
    b.config.mint?.toBytes() ?? new Uint8Array(),
    rootSeq,
    claimer.publicKey.toBytes(),
    total,
  );
  const proof = Array.from({ length: depth }, () => new Uint8Array(randomBytes(32)));
  const publish = await unitsOf(
    b,
    [
      getPublishGlobalRootInstruction(
        { payer: b.publisher.publicKey, rootSeq, root: processProof(leaf, proof), datasetHash: randomBytes(32) },
        b.config,
      ),
    ],
    [b.publisher],
  );
  const claim = await unitsOf(
    b,
    [getClaimInstruction({ claimer: claimer.publicKey, rootSeq, proof, cumulativeTotal: total }, b.config)],
    [claimer],
  );
  return { publish, claim };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
};
const max = (values: readonly number[]) => Math.max(...values);

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'ao-bench-cu-'));
  const chain = await startLocalChain({ dataDir, warn: () => {} });
  try {
    const accounts = chain.accounts;
    if (!accounts?.programId) throw new Error('the local chain was not bootstrapped with the program');
    const client = createRpcClient({ urls: [chain.url], timeoutMs: 10_000 });
    const b: Bench = {
      chain,
      client,
      connection: client.connection(),
      config: { programId: accounts.programId, mint: accounts.mint },
      publisher: readKeypairFile(accounts.keyPaths.publisher),
      authority: readKeypairFile(accounts.keyPaths.treasuryAuthority),
    };
    const fund = (key: Keypair) => chain.ledger.requestAirdrop(key.publicKey.toBase58(), TOKEN);

    // Baseline: what every first claim must do anyway, as one plain transaction: create the recipient's Token-2022
    // account with the ATA program (CreateIdempotent) and transfer_checked into it.
    progress(`baseline: ATA create + transfer_checked to ${WALLETS} random owners`);
    const baseline: number[] = [];
    const ata = (owner: Keypair) =>
      getAssociatedTokenAddressSync(accounts.mint, owner.publicKey, false, TOKEN_2022_PROGRAM_ID);
    for (let i = 0; i < WALLETS; i++) {
      const owner = Keypair.generate();
      const { authority } = b;
      baseline.push(
        await unitsOf(
          b,
          [
            createAssociatedTokenAccountIdempotentInstruction(
              authority.publicKey,
              ata(owner),
              owner.publicKey,
              accounts.mint,
              TOKEN_2022_PROGRAM_ID,
            ),
            createTransferCheckedInstruction(
              accounts.treasuryTokenAccount,
              accounts.mint,
              ata(owner),
              authority.publicKey,
              TOKEN,
              accounts.decimals,
              [],
              TOKEN_2022_PROGRAM_ID,
            ),
          ],
          [authority],
        ),
      );
    }

    const firstClaims = new Map<number, number[]>();
    const publishes: number[] = [];
    const repeatClaims: number[] = [];
    for (const depth of DEPTHS) {
      progress(`claim_global, first claims at depth ${depth}: ${WALLETS} random wallets`);
      const units: number[] = [];
      for (let i = 0; i < WALLETS; i++) {
        const claimer = Keypair.generate();
        fund(claimer);
        const first = await publishAndClaim(b, claimer, TOKEN, depth);
        units.push(first.claim);
        publishes.push(first.publish);
        if (depth === 20) {
          // The same wallet again with a higher total: claim state and token account exist, a transfer happens.
          const repeat = await publishAndClaim(b, claimer, 2n * TOKEN, depth);
          repeatClaims.push(repeat.claim);
          publishes.push(repeat.publish);
        }
      }
      firstClaims.set(depth, units);
      progress(`  median ${median(units)}, min ${Math.min(...units)}, max ${max(units)}`);
    }
    const first = (depth: number) => firstClaims.get(depth) ?? [];
    const d20 = first(20);
    report(
      'cu',
      {
        baseline_ata_transfer: median(baseline),
        claim_depth20_max: max(d20),
        claim_depth10_max: max(first(10)),
        claim_depth1_max: max(first(1)),
        repeat_claim_depth20: median(repeatClaims),
        claim_depth20: median(d20),
        claim_depth10: median(first(10)),
        claim_depth1: median(first(1)),
        publish: median(publishes),
      },
      [
        'Compute units of this implementation (programs/attention-oracle, the committed build), not of the deployed mainnet program: computeUnitsConsumed from getTransaction on the local chain (litesvm 1.5).',
        `claim_depth<d>: median over ${WALLETS} random wallets of a user-signed claim_global that is the wallet's first (it creates the ClaimStateGlobal and, through the ATA program, the wallet's Token-2022 account, then transfers); _max is the largest of the ${WALLETS}. Depth 20: min ${Math.min(...d20)}, ${d20.filter((u) => u > 40_000).length} of ${WALLETS} above 40,000.`,
        `repeat_claim_depth20: median over the same ${WALLETS} wallets claiming again at depth 20 after a higher total was published (claim state and token account exist; a transfer happens).`,
        `publish: median publish_global_root over the ${publishes.length} publishes of the run (min ${Math.min(...publishes)}, max ${max(publishes)}).`,
        `baseline_ata_transfer: median over ${WALLETS} random owners of one plain transaction with the ATA program's CreateIdempotent and a Token-2022 transfer_checked (50 bps fee mint), the irreducible part of a first claim (max ${max(baseline)}).`,
        "Random wallets vary because the ATA program searches for its account's bump (about 1,500 CU per extra try) and the program for the claim state's (about 330 CU per try); each proof level costs about 154 CU.",
      ],
    );
  } finally {
    await chain.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
