// The committed local Attention Oracle program (programs/attention-oracle) on a local chain, driven through the SDK's
// RPC client and instruction builders, as a client of the real program would drive it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createRpcClient,
  findDefaultTreasuryAddress,
  findProtocolStatePda,
  INSTRUCTION_DISCRIMINATORS,
  type ProgramConfig,
  type RpcClient,
  resolveProgramConfig,
  sendAndConfirm,
  TransactionFailedError,
} from '@attention-oracle/sdk';
import {
  type Connection,
  TransactionInstruction as Instruction,
  Keypair,
  type PublicKey,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from '@solana/web3.js';
import { afterAll, beforeAll } from 'vitest';
import { type LocalChain, localChainKeyPaths, readKeypairFile, startLocalChain } from '../../src/chain/index.js';
import { must, removeTempDirs, tempDir, transferTx } from '../chain/helpers.js';

/** The committed build the tests load (a fresh machine needs no Rust toolchain). */
export const PROGRAM_PATH = fileURLToPath(
  new URL('../../../../programs/attention-oracle/attention_oracle.so', import.meta.url),
);

/** Everything a test needs to talk to the program on the chain. */
export interface ProgramFixture {
  readonly chain: LocalChain;
  readonly client: RpcClient;
  readonly connection: Connection;
  readonly config: Required<Pick<ProgramConfig, 'programId' | 'mint'>>;
  readonly resolved: ReturnType<typeof resolveProgramConfig>;
  /** Holds the supply; admin of the program. */
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

/**
 * A local chain for the suite whose bootstrapped keys (mint, treasury authority, publisher, sponsor) are named
 * keypairs, stopped and removed afterwards. Returns a getter, since the chain starts in `beforeAll`.
 */
export function useProgramChain(): () => LocalChain {
  let chain: LocalChain | undefined;
  beforeAll(async () => {
    const dataDir = tempDir('program-chain-');
    for (const [role, path] of Object.entries(localChainKeyPaths(dataDir))) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, JSON.stringify(Array.from(namedKeypair(role).secretKey)), { mode: 0o600 });
    }
    chain = await startLocalChain({ dataDir, warn: () => {} });
  });
  afterAll(async () => {
    await chain?.stop();
    removeTempDirs();
  });
  return () => must(chain, 'a running chain');
}

/** Loads the program on `chain` under the id of the named keypair `label`; the mint and roles are the chain's. */
export function loadProgram(chain: LocalChain, label = 'program'): ProgramFixture {
  const accounts = chain.accounts;
  if (!accounts) throw new Error('the local chain was not bootstrapped');
  const programId = namedKeypair(label).publicKey;
  chain.ledger.addProgram(programId.toBase58(), readFileSync(PROGRAM_PATH));
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

/** Signs `instructions` with `signers` (the first pays), sends and confirms; returns the signature. */
export async function send(
  f: ProgramFixture,
  instructions: readonly TransactionInstruction[],
  signers: readonly Keypair[],
): Promise<string> {
  const [payer] = signers;
  if (!payer) throw new Error('a transaction needs a fee payer');
  // A slot of its own, so a repeated instruction gets a new blockhash and is not taken for the earlier transaction.
  f.chain.ledger.warp(1);
  const { blockhash, lastValidBlockHeight } = await f.connection.getLatestBlockhash();
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(...instructions);
  tx.sign(...signers);
  const { signature } = await sendAndConfirm(f.client, tx, { lastValidBlockHeight, pollEveryMs: 20 });
  return signature;
}

/** What a failed transaction failed with. */
export interface Failure {
  readonly err: unknown;
  readonly logs: readonly string[];
}

/** Sends a transaction that must fail; returns its error and logs (preflight reports both). */
export async function sendFailing(
  f: ProgramFixture,
  instructions: readonly TransactionInstruction[],
  signers: readonly Keypair[],
): Promise<Failure> {
  try {
    await send(f, instructions, signers);
  } catch (error) {
    if (error instanceof TransactionFailedError) return { err: error.err, logs: error.logs ?? [] };
    throw error;
  }
  throw new Error('the transaction succeeded but was expected to fail');
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

/**
 * `initialize_protocol_state(publisher, treasury, oracle_authority)` as programs/README.md defines it (the SDK has no
 * builder: the deployed program was initialized long ago). Accounts: admin, protocol_state, mint, system_program.
 */
export function initializeProtocolStateInstruction(
  f: ProgramFixture,
  input: { admin: PublicKey; publisher: PublicKey; treasury: PublicKey; oracleAuthority: PublicKey; mint?: PublicKey },
): TransactionInstruction {
  const data = Buffer.concat([
    INSTRUCTION_DISCRIMINATORS.initialize_protocol_state,
    input.publisher.toBytes(),
    input.treasury.toBytes(),
    input.oracleAuthority.toBytes(),
  ]);
  return new Instruction({
    programId: f.config.programId,
    keys: [
      { pubkey: input.admin, isSigner: true, isWritable: true },
      { pubkey: f.resolved.protocolState, isSigner: false, isWritable: true },
      { pubkey: input.mint ?? f.config.mint, isSigner: false, isWritable: false },
      { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
    ],
    data,
  });
}

/** Moves `amount` base units from the admin's supply into the program's treasury (the ATA of ProtocolState). */
export async function fundTreasury(f: ProgramFixture, amount: bigint): Promise<void> {
  const owner = findProtocolStatePda(f.config).address;
  f.chain.ledger.warp(1);
  const { blockhash, lastValidBlockHeight } = await f.connection.getLatestBlockhash();
  const tx = transferTx(f.config.mint, f.admin, owner, amount, blockhash);
  await sendAndConfirm(f.client, tx, { lastValidBlockHeight, pollEveryMs: 20 });
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
