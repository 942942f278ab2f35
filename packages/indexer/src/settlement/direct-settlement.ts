// Direct settlement: the treasury pays a wallet the gross delta between its entitlement and what it was paid, with
// transfer_checked, exactly once. (1) A short transaction reserves the claim (one open claim per wallet, caps counted
// under a lock). (2) Outside any transaction the transfer is built and signed. (3) The signature, last valid block
// height and wire bytes are stored ('pending') before anything is sent. (4) It is sent and confirmed; what a crash or
// a lost confirmation leaves open, reconcile finishes from the chain.
import { InvalidArgumentError } from '@attention-oracle/core';
import type { DatabaseHandle } from '@attention-oracle/db';
import type { RpcClient } from '@attention-oracle/sdk';
import type { RoleKey } from '@attention-oracle/sdk/node';
import { TOKEN_2022_PROGRAM_ID } from '@solana/spl-token';
import { PublicKey } from '@solana/web3.js';
import { walletEntitlement } from '../ledger/totals.js';
import { createBlockhashCache } from './blockhash-cache.js';
import { checkCaps } from './caps.js';
import { claimSums, finishClaim, markPending, readClaim, type SignedClaim } from './claim-rows.js';
import { signClaimTransfer } from './claim-transaction.js';
import { loadMintFees, type MintFees } from './mint-fees.js';
import { type ReconcileOptions, reconcileClaims } from './reconcile.js';
import { createReservationQueue } from './reservation-queue.js';
import { createSignatureWatcher } from './signature-watcher.js';
import type { ClaimRecord, ClaimResult, DirectCaps, ReconcileResult, SettlementLog, WalletPayments } from './types.js';
import { walletBytes } from './wallet-input.js';

/** A claim at a point where a test may stop the process. */
export interface ClaimCheckpoint {
  claimId: number;
  signature: string;
  amount: bigint;
}

/** Options of {@link createDirectSettlement}. */
export interface DirectSettlementOptions {
  db: DatabaseHandle;
  client: RpcClient;
  mint: PublicKey;
  /** The token account claims are paid from; owned by `treasuryAuthority`. */
  treasuryAccount: PublicKey;
  /** Signs every transfer and pays its fees and the recipient account's rent. */
  treasuryAuthority: RoleKey;
  caps: DirectCaps;
  /** Default Token-2022. */
  tokenProgram?: PublicKey;
  /** The mint's decimals; checked against the mint when given. */
  decimals?: number;
  log?: SettlementLog;
  /** Who the audit log names for claims paid here (default 'direct-settlement'). */
  actor?: string;
  /** Polling of the shared confirmation poller (default 200 ms) and how long a claim waits (default 90 s). */
  confirmation?: { pollEveryMs?: number; resendEveryMs?: number; timeoutMs?: number };
  /** How long a signed blockhash is reused by concurrent claims (default 1,000 ms). */
  blockhashMaxAgeMs?: number;
  /** Test hooks: called after the 'pending' row is stored (nothing sent yet) and after the send returned. */
  hooks?: {
    afterPending?: (claim: ClaimCheckpoint) => Promise<void>;
    afterSend?: (claim: ClaimCheckpoint) => Promise<void>;
  };
}

/** Direct settlement bound to one database, cluster, mint and treasury. */
export interface DirectSettlement {
  /**
   * Pays `wallet` what it is owed and not yet paid (within the caps). Business outcomes come back as results; only
   * bad input (InvalidArgumentError) and database failures throw.
   */
  claim(wallet: Uint8Array | PublicKey, options?: { requestedBy?: string }): Promise<ClaimResult>;
  /** Finishes what claims left open; see {@link reconcileClaims}. */
  reconcile(options?: ReconcileOptions): Promise<ReconcileResult>;
  /** The wallet's entitlement and what it was paid. */
  paidTo(wallet: Uint8Array | PublicKey): Promise<WalletPayments>;
  /** One claim as stored, or null. */
  claimStatus(claimId: number): Promise<ClaimRecord | null>;
  /** Stops the confirmation poller: claims waiting on it come back 'pending'. */
  close(): void;
}

/**
 * Direct settlement from a treasury this system controls.
 *
 * @example
 * const settlement = createDirectSettlement({
 *   db, client, mint, treasuryAccount, treasuryAuthority: loadRoleKey('treasury-authority', { path }),
 *   caps: { perClaim: env.DIRECT_MAX_PER_CLAIM, perWalletPerDay: env.DIRECT_MAX_PER_WALLET_PER_DAY,
 *     perDay: env.DIRECT_MAX_PER_DAY },
 * });
 * const result = await settlement.claim(wallet, { requestedBy: `viewer:${userId}` });
 * if (result.status === 'settled') console.log(`paid ${result.net} net in ${result.signature}`);
 */
export function createDirectSettlement(options: DirectSettlementOptions): DirectSettlement {
  const { db, client, mint, treasuryAccount, treasuryAuthority, hooks, log } = options;
  for (const [name, key] of [
    ['mint', mint],
    ['treasuryAccount', treasuryAccount],
  ] as const) {
    if (!(key instanceof PublicKey)) throw new InvalidArgumentError(`direct settlement: ${name} must be a PublicKey`);
  }
  const caps = checkCaps(options.caps);
  const tokenProgram = options.tokenProgram ?? TOKEN_2022_PROGRAM_ID;
  const actor = options.actor ?? 'direct-settlement';
  const blockhashes = createBlockhashCache(client, { maxAgeMs: options.blockhashMaxAgeMs });
  const watcher = createSignatureWatcher(client, { ...options.confirmation, log });
  let mintFees: Promise<MintFees> | undefined;
  const reservations = createReservationQueue(db, caps);

  const fees = () => {
    mintFees ??= loadMintFees(client.connection(), mint, tokenProgram).then((loaded) => {
      if (options.decimals !== undefined && options.decimals !== loaded.decimals) {
        throw new Error(`mint ${mint.toBase58()} has ${loaded.decimals} decimals, configured ${options.decimals}`);
      }
      return loaded;
    });
    mintFees.catch(() => {
      mintFees = undefined;
    });
    return mintFees;
  };

  /** Ends a claim that was never sent (its row is still 'reserved') as voided, and reports why. */
  const abandon = async (claimId: number, reason: string): Promise<ClaimResult> => {
    await finishClaim(db.query, claimId, 'reserved', { status: 'voided', error: reason }, actor);
    log?.('claim not sent', { claimId, reason });
    return { status: 'failed', claimId, error: reason };
  };

  async function claim(
    wallet: Uint8Array | PublicKey,
    claimOptions: { requestedBy?: string } = {},
  ): Promise<ClaimResult> {
    const bytes = walletBytes(wallet);
    const reservation = await reservations.reserve({ wallet: bytes, requestedBy: claimOptions.requestedBy ?? null });
    if (reservation.status !== 'reserved') return reservation;
    const { claimId, amount } = reservation;

    let signed: SignedClaim;
    try {
      const [mintInfo, recent] = await Promise.all([fees(), blockhashes.get()]);
      const { wire, signature } = await signClaimTransfer({
        claimId,
        wallet: new PublicKey(bytes),
        amount,
        mint,
        decimals: mintInfo.decimals,
        tokenProgram,
        treasuryAccount,
        authority: treasuryAuthority,
        blockhash: recent.blockhash,
        lastValidBlockHeight: recent.lastValidBlockHeight,
      });
      const fee = mintInfo.feeFor(amount, recent.epoch);
      signed = { signature, wire, fee, lastValidBlockHeight: recent.lastValidBlockHeight };
    } catch (error) {
      return abandon(claimId, `could not prepare the transfer: ${(error as Error).message}`);
    }
    if (!(await markPending(db.query, claimId, signed))) {
      log?.('claim voided before it was sent', { claimId });
      return { status: 'failed', claimId, error: 'the reservation was voided before the transfer was sent' };
    }
    const checkpoint = { claimId, signature: signed.signature, amount };
    await hooks?.afterPending?.(checkpoint);
    try {
      await client.call('sendTransaction', [
        Buffer.from(signed.wire).toString('base64'),
        { encoding: 'base64', skipPreflight: true, maxRetries: 0 },
      ]);
    } catch (error) {
      // It may still have reached the cluster: the watcher re-sends, reconcile decides.
      log?.('sending a claim failed; it stays pending', { claimId, error: (error as Error).message });
    }
    await hooks?.afterSend?.(checkpoint);

    const outcome = await watcher.watch({
      signature: signed.signature,
      wire: signed.wire,
      lastValidBlockHeight: signed.lastValidBlockHeight,
    });
    if (!outcome.landed) return { status: 'pending', claimId, signature: signed.signature };
    if (outcome.err !== null) {
      const error = JSON.stringify(outcome.err);
      await finishClaim(db.query, claimId, 'pending', { status: 'failed', error, slot: outcome.slot }, actor);
      log?.('claim failed on chain', { claimId, signature: signed.signature, error });
      return { status: 'failed', claimId, error };
    }
    await finishClaim(db.query, claimId, 'pending', { status: 'settled', slot: outcome.slot }, actor);
    return {
      status: 'settled',
      claimId,
      signature: signed.signature,
      slot: outcome.slot,
      amount,
      fee: signed.fee,
      net: amount - signed.fee,
    };
  }

  return {
    claim,
    reconcile: (reconcileOptions) => reconcileClaims(db, client, { log, ...reconcileOptions }),
    async paidTo(wallet) {
      const bytes = walletBytes(wallet);
      const [{ total }, { settled, inFlight }] = await Promise.all([
        walletEntitlement(db.query, bytes),
        claimSums(db.query, bytes),
      ]);
      const left = total - settled - inFlight;
      return { total, paid: settled, inFlight, claimable: left > 0n ? left : 0n };
    },
    async claimStatus(claimId) {
      if (!Number.isSafeInteger(claimId) || claimId < 1) {
        throw new InvalidArgumentError(`a claim id must be a positive integer, got ${claimId}`);
      }
      return readClaim(db.query, claimId);
    },
    close: () => watcher.close(),
  };
}
