// bench:claims: direct claims end to end (reserve in PostgreSQL, sign, store, send through the RPC client, confirm,
// settle) against the local chain over HTTP, with bounded concurrency; against the same transfers sent and confirmed
// through the same RPC client and confirmation poller without the database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, pgArray, sql } from '@attention-oracle/db';
import { createTestPostgres } from '@attention-oracle/db/testing';
import { createRpcClient } from '@attention-oracle/sdk';
import { loadRoleKey } from '@attention-oracle/sdk/node';
import { TOKEN_2022_PROGRAM_ID } from '@solana/spl-token';
import { Keypair, type PublicKey } from '@solana/web3.js';
import { startLocalChain } from '../packages/indexer/src/chain/index.js';
import {
  type ClaimResult,
  createBlockhashCache,
  createDirectSettlement,
  signClaimTransfer,
} from '../packages/indexer/src/settlement/index.js';
import { createSignatureWatcher } from '../packages/indexer/src/settlement/signature-watcher.js';
import { progress, report, secondsSince } from './lib/report.js';

const WALLETS = 2_000;
const CONCURRENCY = 64;
const POLL_MS = 10;
const CAPS = { perClaim: 10n ** 15n, perWalletPerDay: 10n ** 15n, perDay: 10n ** 18n };

/** Runs `work` for every item with at most `limit` at once; reports progress every `every` items. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
        if (++done % 500 === 0) progress(`    ${done}/${items.length}`);
      }
    }),
  );
}

const amountOf = (i: number) => 1_000_000_000n + BigInt(i);

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'ao-bench-claims-'));
  const database = await createTestPostgres();
  const db = await openDatabase({ databaseUrl: database.url, maxConnections: 24, migrate: false });
  const chain = await startLocalChain({ dataDir, warn: () => {} });
  try {
    const accounts = chain.accounts;
    if (!accounts) throw new Error('the local chain was not bootstrapped');
    const authority = loadRoleKey('treasury-authority', { path: accounts.keyPaths.treasuryAuthority });
    const client = createRpcClient({ urls: [chain.url], timeoutMs: 10_000 });
    const common = {
      mint: accounts.mint,
      treasuryAccount: accounts.treasuryTokenAccount,
      tokenProgram: TOKEN_2022_PROGRAM_ID,
    };

    // Baseline: the same transfers (account creation, transfer_checked, memo), signed and sent through the same
    // client and confirmed by the same batched poller, with no database.
    progress(`baseline: ${WALLETS} transfers through the RPC client, ${CONCURRENCY} at a time, no database`);
    const blockhashes = createBlockhashCache(client);
    const watcher = createSignatureWatcher(client, { pollEveryMs: POLL_MS });
    const plainWallets = Array.from({ length: WALLETS }, () => Keypair.generate().publicKey);
    let baselineFailures = 0;
    const baselineStart = performance.now();
    await pool(plainWallets, CONCURRENCY, async (wallet: PublicKey, i) => {
      const recent = await blockhashes.get();
      const { wire, signature } = await signClaimTransfer({
        ...common,
        claimId: i + 1,
        wallet,
        amount: amountOf(i),
        decimals: accounts.decimals,
        authority,
        blockhash: recent.blockhash,
        lastValidBlockHeight: recent.lastValidBlockHeight,
      });
      await client.call('sendTransaction', [
        Buffer.from(wire).toString('base64'),
        { encoding: 'base64', skipPreflight: true, maxRetries: 0 },
      ]);
      const outcome = await watcher.watch({ signature, wire, lastValidBlockHeight: recent.lastValidBlockHeight });
      if (!outcome.landed || outcome.err !== null) baselineFailures++;
    });
    const baseline = WALLETS / secondsSince(baselineStart);
    watcher.close();
    if (baselineFailures > 0) throw new Error(`${baselineFailures} baseline transfers did not land`);
    progress(`  ${baseline.toFixed(0)} transfers/s`);

    // Direct claims: every wallet has credit; each claim goes through the database and the chain end to end.
    const wallets = Array.from({ length: WALLETS }, () => Keypair.generate().publicKey);
    await db.query(sql`insert into wallet_totals (wallet, total)
      select decode(w, 'hex'), t from unnest(${pgArray(wallets.map((w) => w.toBuffer().toString('hex')))}::text[],
        ${pgArray(wallets.map((_w, i) => amountOf(i)))}::numeric[]) as x(w, t)`);
    const settlement = createDirectSettlement({
      db,
      client,
      ...common,
      treasuryAuthority: authority,
      caps: CAPS,
      decimals: accounts.decimals,
      confirmation: { pollEveryMs: POLL_MS },
    });
    progress(`direct claims: ${WALLETS} wallets, ${CONCURRENCY} at a time, PostgreSQL + RPC end to end`);
    const outcomes = new Map<string, number>();
    const start = performance.now();
    await pool(wallets, CONCURRENCY, async (wallet) => {
      const result: ClaimResult = await settlement.claim(wallet, { requestedBy: 'bench' });
      outcomes.set(result.status, (outcomes.get(result.status) ?? 0) + 1);
    });
    const direct = WALLETS / secondsSince(start);
    settlement.close();
    progress(`  ${direct.toFixed(0)} claims/s`);

    const [check] = await db.query<{ settled: number; paid: string; credited: string }>(sql`
      select (select count(*)::int from claims where status = 'settled') as settled,
        (select coalesce(sum(amount), 0)::text from claims where status = 'settled') as paid,
        (select sum(total)::text from wallet_totals) as credited`);
    if (outcomes.get('settled') !== WALLETS || check?.settled !== WALLETS || check.paid !== check.credited) {
      throw new Error(`not every claim settled exactly: ${JSON.stringify([...outcomes])} ${JSON.stringify(check)}`);
    }
    report(
      'claims',
      { baseline_per_s: Math.round(baseline), ratio: (direct / baseline).toFixed(3), direct_per_s: Math.round(direct) },
      [
        `${WALLETS} wallets with credit in wallet_totals, ${CONCURRENCY} concurrent claims through createDirectSettlement on a fresh PostgreSQL database (pool of 24) and the local chain over JSON-RPC (persistent journal on): reserve under the settlement lock, sign (ATA create + transfer_checked + memo, Token-2022 50 bps), store pending, send, confirm through the shared batched poller (every ${POLL_MS} ms), settle with its audit entry; every claim settled and the settled sum equals the credited sum; ${direct.toFixed(0)} claims/s.`,
        `baseline: the same transactions to ${WALLETS} other fresh wallets, signed, sent and confirmed through the same RPC client and poller with no database; ${baseline.toFixed(0)} transfers/s.`,
      ],
    );
  } finally {
    await chain.stop();
    await db.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
