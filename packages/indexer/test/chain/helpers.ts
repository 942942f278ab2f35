// Shared fixtures for the local-chain tests: temporary data folders, JSON-RPC calls and Token-2022 transfers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
  TOKEN_2022_PROGRAM_ID,
} from '@solana/spl-token';
import { Connection, type Keypair, type PublicKey, Transaction } from '@solana/web3.js';
import { afterAll, beforeAll } from 'vitest';
import { type LocalChain, type LocalChainOptions, startLocalChain } from '../../src/chain/index.js';

const folders: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs`. */
export function tempDir(prefix = 'local-chain-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made. */
export function removeTempDirs(): void {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A local chain for the whole suite, in a temporary folder, stopped and removed afterwards. Returns getters, since the
 * chain starts in `beforeAll`.
 */
export function useLocalChain(options: Omit<LocalChainOptions, 'dataDir'> = {}) {
  let chain: LocalChain | undefined;
  let connection: Connection | undefined;
  beforeAll(async () => {
    chain = await startLocalChain({ dataDir: tempDir(), warn: () => {}, ...options });
    connection = new Connection(chain.url, 'confirmed');
  });
  afterAll(async () => {
    await chain?.stop();
    removeTempDirs();
  });
  return { chain: () => must(chain, 'a running chain'), connection: () => must(connection, 'a connection') };
}

/** The value, or a failed test naming what was missing. */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}`);
  return value;
}

/** A raw JSON-RPC answer; tests check its shape structurally. */
// biome-ignore lint/suspicious/noExplicitAny: raw JSON-RPC answers are asserted field by field
export type RpcReply = { result?: any; error?: any };

/** One raw JSON-RPC call. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<RpcReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await response.json()) as RpcReply;
}

/** The Token-2022 associated token account of `owner` for `mint`. */
export function ata(mint: PublicKey, owner: PublicKey): PublicKey {
  return getAssociatedTokenAddressSync(mint, owner, true, TOKEN_2022_PROGRAM_ID);
}

/** A transfer_checked of `amount` base units from `from`'s ATA to `to`'s (created if needed), paid by `from`. */
export function transferTx(
  mint: PublicKey,
  from: Keypair,
  to: PublicKey,
  amount: bigint,
  blockhash: string,
  createAta = true,
): Transaction {
  const tx = new Transaction({ feePayer: from.publicKey, recentBlockhash: blockhash });
  if (createAta) {
    tx.add(
      createAssociatedTokenAccountIdempotentInstruction(from.publicKey, ata(mint, to), to, mint, TOKEN_2022_PROGRAM_ID),
    );
  }
  tx.add(
    createTransferCheckedInstruction(
      ata(mint, from.publicKey),
      mint,
      ata(mint, to),
      from.publicKey,
      amount,
      9,
      [],
      TOKEN_2022_PROGRAM_ID,
    ),
  );
  tx.sign(from);
  return tx;
}
