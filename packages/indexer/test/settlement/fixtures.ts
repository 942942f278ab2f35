// Shared setup of the settlement tests: a settlement on the local chain, credit in wallet_totals, token balances.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { createRpcClient, type RpcClient } from '@attention-oracle/sdk';
import { loadRoleKey, type RoleKey } from '@attention-oracle/sdk/node';
import { getTransferFeeAmount, TOKEN_2022_PROGRAM_ID, unpackAccount } from '@solana/spl-token';
import type { Connection, Keypair, PublicKey } from '@solana/web3.js';
import type { LocalChain } from '../../src/chain/index.js';
import {
  createDirectSettlement,
  type DirectSettlement,
  type DirectSettlementOptions,
} from '../../src/settlement/index.js';
import { ata, must } from '../chain/helpers.js';

/** Caps large enough never to matter unless a test lowers them. */
export const NO_CAPS = { perClaim: 10n ** 18n, perWalletPerDay: 10n ** 18n, perDay: 10n ** 18n };

/** One token in base units (9 decimals). */
export const TOKEN = 10n ** 9n;

/** The mint's 50 bps fee on a transfer of `amount`, rounded up as Token-2022 does. */
export const feeOf = (amount: bigint) => (amount * 50n + 9_999n) / 10_000n;

/** Empties every table a settlement test writes. */
export async function resetSettlementTables(db: DatabaseHandle): Promise<void> {
  await db.query(sql`truncate claims, audit_log, wallet_totals, external_credits`);
}

/** The local chain's treasury authority as a role key. */
export function treasuryKey(chain: LocalChain): RoleKey {
  return loadRoleKey('treasury-authority', { path: must(chain.accounts).keyPaths.treasuryAuthority });
}

/** A role key holding `keypair` (for treasuries made in a test). */
export function roleKeyOf(keypair: Keypair): RoleKey {
  return loadRoleKey('treasury-authority', { env: JSON.stringify(Array.from(keypair.secretKey)), envName: 'TEST' });
}

/** An RPC client for the chain, with few retries so a broken test fails fast. */
export function clientFor(chain: LocalChain): RpcClient {
  return createRpcClient({ urls: [chain.url], retries: 1, timeoutMs: 10_000 });
}

/** A direct settlement paying from the local chain's treasury, polling fast; `overrides` replace any option. */
export function settlementOn(
  chain: LocalChain,
  db: DatabaseHandle,
  overrides: Partial<DirectSettlementOptions> = {},
): DirectSettlement {
  const accounts = must(chain.accounts);
  return createDirectSettlement({
    db,
    client: clientFor(chain),
    mint: accounts.mint,
    treasuryAccount: accounts.treasuryTokenAccount,
    treasuryAuthority: treasuryKey(chain),
    caps: NO_CAPS,
    confirmation: { pollEveryMs: 20 },
    ...overrides,
  });
}

/** Raises `wallet`'s credited total to `total` (wallet_totals never decreases). */
export async function creditTotal(db: DatabaseHandle, wallet: PublicKey, total: bigint): Promise<void> {
  await db.query(sql`insert into wallet_totals (wallet, total) values (${wallet.toBytes()}, ${total.toString()}::numeric)
    on conflict (wallet) do update set total = excluded.total, updated_at = now()`);
}

/** The token balance of `owner`'s associated account (0 when it does not exist). */
export async function tokenBalance(connection: Connection, mint: PublicKey, owner: PublicKey): Promise<bigint> {
  const info = await connection.getAccountInfo(ata(mint, owner));
  if (!info) return 0n;
  return unpackAccount(ata(mint, owner), info, TOKEN_2022_PROGRAM_ID).amount;
}

/** The transfer fee withheld on `owner`'s associated account. */
export async function withheld(connection: Connection, mint: PublicKey, owner: PublicKey): Promise<bigint> {
  const info = await connection.getAccountInfo(ata(mint, owner));
  if (!info) return 0n;
  return getTransferFeeAmount(unpackAccount(ata(mint, owner), info, TOKEN_2022_PROGRAM_ID))?.withheldAmount ?? 0n;
}

/** The balance of a token account by address. */
export async function accountBalance(connection: Connection, account: PublicKey): Promise<bigint> {
  return BigInt((await connection.getTokenAccountBalance(account)).value.amount);
}

/** Claim rows of `wallet` by status. */
export async function claimRows(db: DatabaseHandle, wallet: PublicKey) {
  return db.query<{ id: number; status: string; amount: string; fee: string | null; signature: string | null }>(sql`
    select id::float8 as id, status, amount::text as amount, fee::text as fee, signature from claims
    where wallet = ${wallet.toBytes()} order by id`);
}
