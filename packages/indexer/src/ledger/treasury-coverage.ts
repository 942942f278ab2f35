// Before a root is built: can the treasury pay everything that is owed and not yet paid?
import { InvalidArgumentError } from '@attention-oracle/core';
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';
import { type RpcClient, RpcError } from '@attention-oracle/sdk';
import { PublicKey } from '@solana/web3.js';
import { clearAlarm, raiseAlarm } from '../alarms.js';

/** How claims settle: through the program against merkle roots, or by transfers from the treasury. */
export type Settlement = 'merkle' | 'direct';

/** What is owed and not yet paid, over all wallets. */
export interface OutstandingEntitlement {
  /** Sum over wallets of max(0, entitlement - paid), base units. */
  readonly outstanding: bigint;
  /** Wallets owed something. */
  readonly wallets: number;
}

/** The outcome of {@link checkTreasuryCoverage}. */
export interface TreasuryCoverage {
  readonly ok: boolean;
  readonly outstanding: bigint;
  readonly balance: bigint;
  /** outstanding - balance when positive, else 0. */
  readonly shortfall: bigint;
  /** Wallets owed something. */
  readonly wallets: number;
  /** False when the treasury account does not exist (its balance is then taken as 0). */
  readonly treasuryExists: boolean;
  /** One line for logs and the alarm. */
  readonly message: string;
}

/**
 * The outstanding entitlement, in one query: per wallet, its entitlement (credited total plus the newest imported
 * base yield) minus what it was paid (merkle: the greatest cumulative_total it claimed on chain; direct: its settled,
 * pending and reserved claims), floored at zero, summed.
 *
 * @example const { outstanding } = await outstandingEntitlement(db.query, 'merkle');
 */
export async function outstandingEntitlement(query: RawQuery, settlement: Settlement): Promise<OutstandingEntitlement> {
  const paid =
    settlement === 'merkle'
      ? sql`select claimer as wallet, max(cumulative_total) as paid from chain_claims group by claimer`
      : sql`select wallet, sum(amount) as paid from claims where status in ('settled', 'pending', 'reserved')
          group by wallet`;
  const [row] = await query<{ outstanding: string; wallets: number }>(sql`
    with yields as (
      select distinct on (wallet) wallet, base_yield from external_credits order by wallet, root_seq desc
    ), entitled as (
      select coalesce(t.wallet, y.wallet) as wallet, coalesce(t.total, 0) + coalesce(y.base_yield, 0) as total
      from wallet_totals t full join yields y on y.wallet = t.wallet
    ), paid as (${paid})
    select coalesce(sum(e.total - coalesce(p.paid, 0)), 0)::text as outstanding, count(*)::int as wallets
    from entitled e left join paid p on p.wallet = e.wallet
    where e.total > coalesce(p.paid, 0)`);
  return { outstanding: BigInt(row?.outstanding ?? 0), wallets: row?.wallets ?? 0 };
}

/** Input of {@link checkTreasuryCoverage}. */
export interface TreasuryCoverageInput {
  readonly client: Pick<RpcClient, 'call'>;
  /** The token account claims are paid from. */
  readonly treasury: PublicKey;
  readonly settlement: Settlement;
}

/**
 * Compares the outstanding entitlement with the treasury's token balance. Every check replaces the treasury's
 * `treasury_checks` row with its figures (for /metrics); a shortfall also raises the `treasury-coverage` alarm (which
 * stops publishing) with both figures, and coverage clears it. The row and the alarm change in one transaction. RPC
 * failures propagate touching neither (the caller retries). No transaction is open during the RPC call.
 *
 * @example
 * const coverage = await checkTreasuryCoverage(db, { client, treasury, settlement: 'merkle' });
 * if (!coverage.ok) return { skipped: coverage.message };
 */
export async function checkTreasuryCoverage(
  db: DatabaseHandle,
  input: TreasuryCoverageInput,
): Promise<TreasuryCoverage> {
  const { client, treasury, settlement } = input;
  if (!(treasury instanceof PublicKey)) throw new InvalidArgumentError('treasury must be a PublicKey');
  if (settlement !== 'merkle' && settlement !== 'direct') {
    throw new InvalidArgumentError(`settlement must be merkle or direct, got ${JSON.stringify(settlement)}`);
  }
  const { outstanding, wallets } = await outstandingEntitlement(db.query, settlement);
  const address = treasury.toBase58();
  const balance = await tokenBalance(client, address);
  const held = balance ?? 0n;
  const shortfall = outstanding > held ? outstanding - held : 0n;
  const missing = balance === null ? ` (treasury token account ${address} does not exist: balance taken as 0)` : '';
  const figures = `outstanding ${outstanding} base units over ${wallets} wallets (${settlement} settlement), treasury ${address} holds ${held}${missing}`;
  const ok = shortfall === 0n;
  const message = ok ? `treasury covers the ledger: ${figures}` : `treasury shortfall of ${shortfall}: ${figures}`;
  const coverage = { ok, outstanding, balance: held, shortfall, wallets, treasuryExists: balance !== null, message };
  await db.transaction(async (query) => {
    await recordCheck(query, treasury, settlement, coverage);
    if (ok) await clearAlarm(query, 'treasury-coverage');
    else {
      await raiseAlarm(query, 'treasury-coverage', message, {
        treasury: address,
        settlement,
        outstanding,
        balance: held,
        shortfall,
        wallets,
        treasuryExists: coverage.treasuryExists,
      });
    }
  });
  return coverage;
}

/** Replaces the treasury's treasury_checks row with the figures of this check. */
async function recordCheck(
  query: RawQuery,
  treasury: PublicKey,
  settlement: Settlement,
  c: TreasuryCoverage,
): Promise<void> {
  await query(sql`
    insert into treasury_checks (treasury, settlement, outstanding, balance, shortfall, wallets, treasury_exists,
      checked_at)
    values (${treasury.toBytes()}, ${settlement}, ${c.outstanding.toString()}::numeric,
      ${c.balance.toString()}::numeric, ${c.shortfall.toString()}::numeric, ${c.wallets}::int, ${c.treasuryExists},
      now())
    on conflict (treasury) do update set settlement = excluded.settlement, outstanding = excluded.outstanding,
      balance = excluded.balance, shortfall = excluded.shortfall, wallets = excluded.wallets,
      treasury_exists = excluded.treasury_exists, checked_at = excluded.checked_at`);
}

/** The token account's balance in base units, or null when the account does not exist. */
async function tokenBalance(client: Pick<RpcClient, 'call'>, address: string): Promise<bigint | null> {
  try {
    const answer = await client.call<{ value: { amount: string } }>('getTokenAccountBalance', [
      address,
      { commitment: 'confirmed' },
    ]);
    return BigInt(answer.value.amount);
  } catch (error) {
    // Nodes answer "invalid params" for a missing account and for one that is not a token account: tell them apart.
    if (!(error instanceof RpcError) || error.kind !== 'invalid-request') throw error;
    const info = await client.call<{ value: unknown }>('getAccountInfo', [
      address,
      { encoding: 'base64', commitment: 'confirmed' },
    ]);
    if (info.value === null) return null;
    throw error;
  }
}
