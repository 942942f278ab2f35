// The local chain runs the local Attention Oracle program by default: deployed at the mainnet program id, ProtocolState
// and the global root initialized, the program's treasury funded, so that settlement resolves to merkle; idempotent
// across restarts, a changed build replaces the old one, and `program: false` keeps the chain direct.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ATTENTION_ORACLE_PROGRAM_ID,
  decodeGlobalRootConfig,
  decodeProtocolState,
  findDefaultTreasuryAddress,
  findGlobalRootConfigPda,
  findProtocolStatePda,
  getPublishGlobalRootInstruction,
} from '@attention-oracle/sdk';
import { address } from '@solana/kit';
import { Connection, Keypair, PublicKey, sendAndConfirmTransaction, Transaction } from '@solana/web3.js';
import { LiteSVM } from 'litesvm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bootstrapLocalChain,
  LOCAL_PROGRAM_PATH,
  type LocalChain,
  readKeypairFile,
  startLocalChain,
} from '../../src/chain/index.js';
import { resolveChainContext } from '../../src/chain-context.js';
import { loadEnv } from '../../src/env.js';
import { must, removeTempDirs, tempDir } from './helpers.js';

const SUPPLY = 10n ** 18n;
const UPGRADEABLE_LOADER = new PublicKey('BPFLoaderUpgradeab1e11111111111111111111111');

/** The ELF deployed at `programId` (after the 45-byte programdata header). */
async function deployedElf(connection: Connection, programId: PublicKey): Promise<Buffer> {
  const program = must(await connection.getAccountInfo(programId), 'the program account');
  expect(program.executable).toBe(true);
  expect(program.owner.equals(UPGRADEABLE_LOADER)).toBe(true);
  const data = must(await connection.getAccountInfo(new PublicKey(program.data.subarray(4, 36))), 'its program data');
  return data.data.subarray(45);
}

async function tokenAmount(connection: Connection, account: PublicKey): Promise<bigint> {
  return BigInt((await connection.getTokenAccountBalance(account)).value.amount);
}

/** Publishes seq `seq` (a random root) as the publisher: the program runs and its state moves. */
async function publish(chain: LocalChain, seq: bigint, programId = ATTENTION_ORACLE_PROGRAM_ID): Promise<void> {
  const accounts = must(chain.accounts);
  const publisher = readKeypairFile(accounts.keyPaths.publisher);
  const ix = getPublishGlobalRootInstruction(
    {
      payer: publisher.publicKey,
      rootSeq: seq,
      root: Keypair.generate().publicKey.toBytes(),
      datasetHash: new Uint8Array(32),
    },
    { programId, mint: accounts.mint },
  );
  chain.ledger.warp(1);
  await sendAndConfirmTransaction(new Connection(chain.url, 'confirmed'), new Transaction().add(ix), [publisher]);
}

async function latestRootSeq(connection: Connection, mint: PublicKey, programId = ATTENTION_ORACLE_PROGRAM_ID) {
  const info = must(await connection.getAccountInfo(findGlobalRootConfigPda({ programId, mint }).address));
  return decodeGlobalRootConfig(info.data).latestRootSeq;
}

describe('the local program on the local chain', () => {
  const running: LocalChain[] = [];
  const start = async (...args: Parameters<typeof startLocalChain>) => {
    const chain = await startLocalChain({ warn: () => {}, ...args[0] });
    running.push(chain);
    return chain;
  };
  const stop = async (chain: LocalChain) => {
    running.splice(running.indexOf(chain), 1);
    await chain.stop();
  };
  afterEach(async () => {
    for (const chain of running.splice(0)) await chain.stop();
    removeTempDirs();
  });

  it('is deployed at the mainnet id and initialized by default, so settlement resolves to merkle', async () => {
    const dataDir = join(tempDir(), 'chain');
    const chain = await start({ dataDir });
    const accounts = must(chain.accounts);
    const connection = new Connection(chain.url, 'confirmed');
    const programId = must(accounts.programId);
    expect(programId.equals(ATTENTION_ORACLE_PROGRAM_ID)).toBe(true);
    expect((await deployedElf(connection, programId)).equals(readFileSync(LOCAL_PROGRAM_PATH))).toBe(true);

    const config = { programId, mint: accounts.mint };
    const state = decodeProtocolState(
      must(await connection.getAccountInfo(findProtocolStatePda(config).address), 'ProtocolState').data,
    );
    expect(state).toMatchObject({ isInitialized: true, paused: false });
    expect(state.admin.equals(accounts.treasuryAuthority)).toBe(true);
    expect(must(accounts.admin).equals(accounts.treasuryAuthority)).toBe(true);
    expect(state.publisher.equals(accounts.publisher)).toBe(true);
    expect(state.oracleAuthority.equals(accounts.publisher)).toBe(true);
    expect(state.mint.equals(accounts.mint)).toBe(true);
    const programTreasury = must(accounts.programTreasury);
    expect(programTreasury.equals(findDefaultTreasuryAddress(config))).toBe(true);
    expect(state.treasury.equals(programTreasury)).toBe(true);
    expect(await latestRootSeq(connection, accounts.mint)).toBe(0n);

    // The supply: nine tenths in the program's treasury, a tenth with the treasury authority for direct settlement.
    expect(await tokenAmount(connection, programTreasury)).toBe((SUPPLY * 9n) / 10n);
    expect(await tokenAmount(connection, accounts.treasuryTokenAccount)).toBe(SUPPLY / 10n);

    // The embedded default: DATA_DIR/chain supplies mint and keys; the deployed program makes settlement merkle.
    const source = { SOLANA_RPC_URL: chain.url, DATA_DIR: join(dataDir, '..') };
    const context = await resolveChainContext(loadEnv(source), { publisher: true });
    expect(context.settlement).toBe('merkle');
    expect(context.settlementReason).toBe(`the Attention Oracle program is deployed at ${programId.toBase58()}`);
    expect(context.treasury.equals(programTreasury)).toBe(true);
    expect(context.mint.equals(accounts.mint)).toBe(true);
    expect(context.publisher !== 'external' && context.publisher?.publicKey.equals(accounts.publisher)).toBe(true);
    // Direct settlement remains available by configuration, paid from the treasury authority's account.
    const direct = await resolveChainContext(loadEnv({ ...source, SETTLEMENT: 'direct' }));
    expect(direct.settlement).toBe('direct');
    expect(direct.treasury.equals(accounts.treasuryTokenAccount)).toBe(true);
  });

  it('keeps its state across restarts, and bootstrapping again (over RPC too) changes nothing', async () => {
    const dataDir = tempDir();
    let chain = await start({ dataDir });
    const accounts = must(chain.accounts);
    await publish(chain, 1n);
    await stop(chain);

    chain = await start({ dataDir });
    expect(chain.accounts).toEqual(accounts);
    const connection = new Connection(chain.url, 'confirmed');
    expect(await latestRootSeq(connection, accounts.mint)).toBe(1n);
    const count = chain.ledger.transactionCount;
    // Identical program bytes are not deployed again; an RPC target (which cannot deploy) finds nothing to do.
    expect(await bootstrapLocalChain(chain.url, dataDir)).toEqual(accounts);
    expect(chain.ledger.transactionCount).toBe(count);
    await publish(chain, 2n);
    expect(await latestRootSeq(connection, accounts.mint)).toBe(2n);
    expect(await tokenAmount(connection, must(accounts.programTreasury))).toBe((SUPPLY * 9n) / 10n);
  });

  it('loads a changed build on restart, keeping the program state; an RPC target cannot deploy it', async () => {
    const dataDir = tempDir();
    let chain = await start({ dataDir });
    const mint = must(chain.accounts).mint;
    await publish(chain, 1n);
    await stop(chain);

    // Another build: the committed one with trailing bytes (loadable, and not byte-identical).
    const changed = join(dataDir, 'changed.so');
    writeFileSync(changed, Buffer.concat([readFileSync(LOCAL_PROGRAM_PATH), Buffer.alloc(8)]));
    chain = await start({ dataDir, bootstrap: { program: { path: changed } } });
    const connection = new Connection(chain.url, 'confirmed');
    expect((await deployedElf(connection, ATTENTION_ORACLE_PROGRAM_ID)).equals(readFileSync(changed))).toBe(true);
    expect(await latestRootSeq(connection, mint)).toBe(1n);
    await publish(chain, 2n);
    expect(await latestRootSeq(connection, mint)).toBe(2n);

    await expect(bootstrapLocalChain(chain.url, dataDir)).rejects.toThrow(
      `the program at ${ATTENTION_ORACLE_PROGRAM_ID.toBase58()} is another build and cannot be deployed over RPC`,
    );
  });

  it('program: false starts without the program (direct settlement); a later default start adds it', async () => {
    const dataDir = join(tempDir(), 'chain');
    let chain = await start({ dataDir, bootstrap: { program: false } });
    const accounts = must(chain.accounts);
    expect(accounts).toMatchObject({ programId: null, programTreasury: null, admin: null });
    let connection = new Connection(chain.url, 'confirmed');
    expect(await connection.getAccountInfo(ATTENTION_ORACLE_PROGRAM_ID)).toBeNull();
    expect(await tokenAmount(connection, accounts.treasuryTokenAccount)).toBe(SUPPLY);
    const source = { DATA_DIR: join(dataDir, '..') };
    expect((await resolveChainContext(loadEnv({ ...source, SOLANA_RPC_URL: chain.url }))).settlement).toBe('direct');
    await stop(chain);

    // The chain's supply is already minted: the program's treasury receives nine tenths of it anew.
    chain = await start({ dataDir });
    connection = new Connection(chain.url, 'confirmed');
    const programTreasury = must(chain.accounts?.programTreasury);
    expect(await tokenAmount(connection, programTreasury)).toBe((SUPPLY * 9n) / 10n);
    expect(await tokenAmount(connection, accounts.treasuryTokenAccount)).toBe(SUPPLY);
    expect((await resolveChainContext(loadEnv({ ...source, SOLANA_RPC_URL: chain.url }))).settlement).toBe('merkle');
  });

  it('deploys under another program id when asked, and bootstraps a LiteSVM in process', async () => {
    const programId = Keypair.generate().publicKey;
    const chain = await start({ dataDir: tempDir(), bootstrap: { program: { programId } } });
    const accounts = must(chain.accounts);
    expect(must(accounts.programId).equals(programId)).toBe(true);
    expect(must(accounts.programTreasury).equals(findDefaultTreasuryAddress({ programId, mint: accounts.mint }))).toBe(
      true,
    );
    const connection = new Connection(chain.url, 'confirmed');
    expect(await connection.getAccountInfo(ATTENTION_ORACLE_PROGRAM_ID)).toBeNull();
    await publish(chain, 1n, programId);
    expect(await latestRootSeq(connection, accounts.mint, programId)).toBe(1n);

    const svm = new LiteSVM();
    const inProcess = await bootstrapLocalChain(svm, tempDir());
    const state = svm.getAccount(address(findProtocolStatePda({}).address.toBase58()));
    if (!state.exists) throw new Error('no ProtocolState in the LiteSVM');
    expect(decodeProtocolState(state.data).admin.equals(must(inProcess.admin))).toBe(true);
  });
});
