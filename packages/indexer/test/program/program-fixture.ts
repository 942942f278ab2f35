// The local Attention Oracle program on a bootstrapped local chain (deployed at the mainnet program id, ProtocolState,
// global root and treasury initialized by startLocalChain), driven through the SDK's RPC client and builders, as a
// client of the real program would drive it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  buildGlobalRootTree,
  type GlobalEntryInput,
  type GlobalRootTree,
  globalLeavesFromEntries,
  type LeafVersion,
} from '@attention-oracle/core';
import {
  type ClaimTransaction,
  createRpcClient,
  decodeClaimStateGlobal,
  decodeGlobalRootConfig,
  findClaimStateGlobalPda,
  findDefaultTreasuryAddress,
  getClaimInstruction,
  getPublishGlobalRootInstruction,
  type ProgramConfig,
  type RpcClient,
  resolveProgramConfig,
  sendAndConfirm,
  TransactionFailedError,
} from '@attention-oracle/sdk';
import {
  type AddressLookupTableAccount,
  AddressLookupTableProgram,
  type Connection,
  Keypair,
  type PublicKey,
  Transaction,
  type TransactionInstruction,
} from '@solana/web3.js';
import { afterAll, beforeAll } from 'vitest';
import {
  type BootstrapOptions,
  LOCAL_PROGRAM_PATH,
  type LocalChain,
  localChainKeyPaths,
  readKeypairFile,
  startLocalChain,
} from '../../src/chain/index.js';
import { must, removeTempDirs, tempDir } from '../chain/helpers.js';

/** Everything a test needs to talk to the program on the chain. */
export interface ProgramFixture {
  readonly chain: LocalChain;
  readonly client: RpcClient;
  readonly connection: Connection;
  readonly config: Required<Pick<ProgramConfig, 'programId' | 'mint'>>;
  readonly resolved: ReturnType<typeof resolveProgramConfig>;
  /** The treasury authority: mint authority, holds a tenth of the supply, admin of the program. */
  readonly admin: Keypair;
  readonly publisher: Keypair;
  readonly sponsor: Keypair;
}

/**
 * A keypair derived from `label`. Every key of these tests is one, so addresses, PDA bumps (each bump search costs
 * 1,500 compute units per try) and therefore the compute units measured are the same on every run.
 */
export function namedKeypair(label: string): Keypair {
  return Keypair.fromSeed(createHash('sha256').update(`attention-oracle program test: ${label}`).digest());
}

/** Writes named keypairs for every role of a local chain into `dataDir/keys` before the chain first starts. */
export function writeNamedRoleKeys(dataDir: string): void {
  for (const [role, path] of Object.entries(localChainKeyPaths(dataDir))) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, JSON.stringify(Array.from(namedKeypair(role).secretKey)), { mode: 0o600 });
  }
}

/**
 * A bootstrapped local chain (with the program, unless `bootstrap` says otherwise) for the suite, whose keys (mint,
 * treasury authority, publisher, sponsor) are named keypairs; stopped and removed afterwards. Returns a getter, since
 * the chain starts in `beforeAll`.
 */
export function useProgramChain(bootstrap: BootstrapOptions = {}): () => LocalChain {
  let chain: LocalChain | undefined;
  beforeAll(async () => {
    const dataDir = tempDir('program-chain-');
    writeNamedRoleKeys(dataDir);
    chain = await startLocalChain({ dataDir, warn: () => {}, bootstrap });
  });
  afterAll(async () => {
    await chain?.stop();
    removeTempDirs();
  });
  return () => must(chain, 'a running chain');
}

function fixture(chain: LocalChain, programId: PublicKey): ProgramFixture {
  const accounts = must(chain.accounts, 'a bootstrapped chain');
  const client = createRpcClient({ urls: [chain.url] });
  const config = { programId, mint: accounts.mint };
  return {
    chain,
    client,
    connection: client.connection(),
    config,
    resolved: resolveProgramConfig(config),
    admin: readKeypairFile(accounts.keyPaths.treasuryAuthority),
    publisher: readKeypairFile(accounts.keyPaths.publisher),
    sponsor: readKeypairFile(accounts.keyPaths.sponsorFeePayer),
  };
}

/** The program the chain was bootstrapped with: initialized, its global root at seq 0, its treasury funded. */
export function programFixture(chain: LocalChain): ProgramFixture {
  return fixture(chain, must(must(chain.accounts, 'a bootstrapped chain').programId, 'the bootstrapped program'));
}

/** Another copy of the program, uninitialized, under the id of the named keypair `label`; same mint and roles. */
export function loadProgram(chain: LocalChain, label: string): ProgramFixture {
  const programId = namedKeypair(label).publicKey;
  chain.ledger.addProgram(programId.toBase58(), readFileSync(LOCAL_PROGRAM_PATH));
  return fixture(chain, programId);
}

/** A recent blockhash in a slot of its own, so a repeated instruction is not taken for the earlier transaction. */
async function freshBlockhash(f: ProgramFixture) {
  f.chain.ledger.warp(1);
  return f.connection.getLatestBlockhash();
}

/** Signs `instructions` with `signers` (the first pays), sends and confirms; returns the signature. */
export async function send(
  f: ProgramFixture,
  instructions: readonly TransactionInstruction[],
  signers: readonly Keypair[],
): Promise<string> {
  const [payer] = signers;
  if (!payer) throw new Error('a transaction needs a fee payer');
  const { blockhash, lastValidBlockHeight } = await freshBlockhash(f);
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(...instructions);
  tx.sign(...signers);
  const { signature } = await sendAndConfirm(f.client, tx, { lastValidBlockHeight, pollEveryMs: 20 });
  return signature;
}

/**
 * Builds a transaction with `build` (an SDK builder, handed a fresh blockhash), signs it with `signers`, sends and
 * confirms it; returns the signature and what was built.
 */
export async function sendBuilt(
  f: ProgramFixture,
  build: (recentBlockhash: string, lastValidBlockHeight: number) => ClaimTransaction,
  signers: readonly Keypair[],
): Promise<{ signature: string; built: ClaimTransaction }> {
  const { blockhash, lastValidBlockHeight } = await freshBlockhash(f);
  const built = build(blockhash, lastValidBlockHeight);
  if (built.version === 0) built.transaction.sign([...signers]);
  else built.transaction.sign(...signers);
  const { signature } = await sendAndConfirm(f.client, built.transaction, { lastValidBlockHeight, pollEveryMs: 20 });
  return { signature, built };
}

/** What a failed transaction failed with. */
export interface Failure {
  readonly err: unknown;
  readonly logs: readonly string[];
}

/** Runs `attempt`, which must fail with a transaction error; returns its error and logs (preflight reports both). */
export async function failureOf(attempt: () => Promise<unknown>): Promise<Failure> {
  try {
    await attempt();
  } catch (error) {
    if (error instanceof TransactionFailedError) return { err: error.err, logs: error.logs ?? [] };
    throw error;
  }
  throw new Error('the transaction succeeded but was expected to fail');
}

/** Sends a transaction that must fail; returns its error and logs. */
export function sendFailing(
  f: ProgramFixture,
  instructions: readonly TransactionInstruction[],
  signers: readonly Keypair[],
): Promise<Failure> {
  return failureOf(() => send(f, instructions, signers));
}

/** The transaction's compute units and log messages, from getTransaction. */
export async function transactionMeta(f: ProgramFixture, signature: string) {
  const tx = await f.connection.getTransaction(signature, {
    commitment: 'confirmed',
    maxSupportedTransactionVersion: 0,
  });
  if (!tx?.meta) throw new Error(`no transaction ${signature}`);
  return { computeUnits: tx.meta.computeUnitsConsumed ?? 0, logs: tx.meta.logMessages ?? [] };
}

/** The named wallet `label` with `sol` SOL from the chain's faucet (0: an empty wallet that can only be sponsored). */
export function wallet(f: ProgramFixture, label: string, sol = 1n): Keypair {
  const key = namedKeypair(label);
  if (sol > 0n) f.chain.ledger.requestAirdrop(key.publicKey.toBase58(), sol * 1_000_000_000n);
  return key;
}

/** Token balance of `account` in base units (0 when it does not exist). */
export async function tokenBalance(f: ProgramFixture, account: PublicKey): Promise<bigint> {
  const info = await f.connection.getAccountInfo(account);
  if (!info) return 0n;
  return BigInt((await f.connection.getTokenAccountBalance(account)).value.amount);
}

/** The default treasury of the fixture's program: the Token-2022 ATA of ProtocolState for the mint. */
export function treasury(f: ProgramFixture): PublicKey {
  return findDefaultTreasuryAddress(f.config);
}

/** The mint's transfer fee on `amount` (50 bps, rounded up, as Token-2022 withholds it). */
export function transferFee(amount: bigint, basisPoints = 50n): bigint {
  return (amount * basisPoints + 9_999n) / 10_000n;
}

/**
 * Creates an address lookup table holding `addresses` (authority and payer: the admin), waits a slot so they are
 * usable, and returns it as the SDK's builders take it.
 */
export async function createLookupTable(
  f: ProgramFixture,
  addresses: readonly PublicKey[],
): Promise<AddressLookupTableAccount> {
  const authority = f.admin.publicKey;
  const recentSlot = await f.connection.getSlot('confirmed');
  const [create, table] = AddressLookupTableProgram.createLookupTable({ authority, payer: authority, recentSlot });
  const extend = AddressLookupTableProgram.extendLookupTable({
    lookupTable: table,
    authority,
    payer: authority,
    addresses: [...addresses],
  });
  await send(f, [create, extend], [f.admin]);
  // Addresses added in a slot are usable from the next one.
  f.chain.ledger.warp(1);
  return must((await f.connection.getAddressLookupTable(table)).value, 'the lookup table');
}

/** The global root's latest_root_seq on chain. */
export async function latestRootSeq(f: ProgramFixture): Promise<bigint> {
  const info = must(await f.connection.getAccountInfo(f.resolved.globalRootConfig), 'the global root config');
  return decodeGlobalRootConfig(info.data).latestRootSeq;
}

/** Builds a tree over `entries` with core at the next seq and publishes it as the publisher; returns the tree. */
export async function publishTree(
  f: ProgramFixture,
  version: LeafVersion,
  entries: readonly GlobalEntryInput[],
): Promise<GlobalRootTree> {
  const rootSeq = (await latestRootSeq(f)) + 1n;
  const leaves = globalLeavesFromEntries(version, [...entries]);
  const tree = await buildGlobalRootTree({ mint: f.config.mint.toBytes(), rootSeq, leaves });
  const publish = getPublishGlobalRootInstruction(
    { payer: f.publisher.publicKey, rootSeq, root: tree.root, datasetHash: new Uint8Array(32) },
    f.config,
  );
  await send(f, [publish], [f.publisher]);
  return tree;
}

/** The claim instruction for `claimer`'s leaf in `tree` with core's proof (sponsored when `payer` is given). */
export function claimInstruction(
  f: ProgramFixture,
  tree: GlobalRootTree,
  claimer: PublicKey,
  payer?: PublicKey,
): TransactionInstruction {
  const { entry, proof } = must(tree.proofForWallet(claimer.toBytes()), 'a leaf for the claimer');
  const parties = { claimer, payer, rootSeq: tree.rootSeq, proof };
  return entry.baseYield === undefined
    ? getClaimInstruction({ ...parties, cumulativeTotal: entry.cumulativeTotal }, f.config)
    : getClaimInstruction(
        { ...parties, baseYield: entry.baseYield, attentionBonus: must(entry.attentionBonus) },
        f.config,
      );
}

/** The claimed_total of `owner`'s claim state (null when it has none). */
export async function claimedTotal(f: ProgramFixture, owner: PublicKey): Promise<bigint | null> {
  const info = await f.connection.getAccountInfo(findClaimStateGlobalPda(owner, f.config).address);
  return info ? decodeClaimStateGlobal(info.data).claimedTotal : null;
}

/** The custom error code a failed transaction returned (null for any other failure). */
export function customErrorCode(failure: Failure): number | null {
  const err = failure.err as { InstructionError?: [number, { Custom?: number } | string] };
  const detail = err?.InstructionError?.[1];
  return typeof detail === 'object' && typeof detail.Custom === 'number' ? detail.Custom : null;
}
