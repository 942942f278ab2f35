// bench:rpc: Token-2022 transfer_checked transactions sent and confirmed through the RPC client against the local
// chain by 8 concurrent senders, against the same transactions sent straight into litesvm in process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRpcClient, sendAndConfirm } from '@attention-oracle/sdk';
import { getTransactionDecoder } from '@solana/kit';
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
  TOKEN_2022_PROGRAM_ID,
} from '@solana/spl-token';
import { type Connection, Keypair, LAMPORTS_PER_SOL, type PublicKey, Transaction } from '@solana/web3.js';
import { LiteSVM } from 'litesvm';
import { bootstrapLocalChain, readKeypairFile, startLocalChain } from '../packages/indexer/src/chain/index.js';
import { progress, report, secondsSince } from './lib/report.js';

const SENDERS = 8;
const PER_SENDER = 250;
const DECIMALS = 9;

interface Setup {
  mint: PublicKey;
  senders: Keypair[];
  recipientAta: PublicKey;
}

/** Funds `SENDERS` senders with SOL and tokens from the treasury, and creates the recipient's account. */
async function prepare(
  send: (tx: Transaction, signers: Keypair[]) => Promise<void>,
  airdrop: (key: PublicKey) => Promise<void>,
  accounts: { mint: PublicKey; treasuryTokenAccount: PublicKey; authority: Keypair },
): Promise<Setup> {
  const { mint, authority } = accounts;
  const senders = Array.from({ length: SENDERS }, () => Keypair.generate());
  const recipient = Keypair.generate().publicKey;
  const ata = (owner: PublicKey) => getAssociatedTokenAddressSync(mint, owner, false, TOKEN_2022_PROGRAM_ID);
  for (const sender of senders) {
    await airdrop(sender.publicKey);
    const tx = new Transaction().add(
      createAssociatedTokenAccountIdempotentInstruction(
        authority.publicKey,
        ata(sender.publicKey),
        sender.publicKey,
        mint,
        TOKEN_2022_PROGRAM_ID,
      ),
      createTransferCheckedInstruction(
        accounts.treasuryTokenAccount,
        mint,
        ata(sender.publicKey),
        authority.publicKey,
        1_000_000n * 10n ** 9n,
        DECIMALS,
        [],
        TOKEN_2022_PROGRAM_ID,
      ),
    );
    await send(tx, [authority]);
  }
  await send(
    new Transaction().add(
      createAssociatedTokenAccountIdempotentInstruction(
        authority.publicKey,
        ata(recipient),
        recipient,
        mint,
        TOKEN_2022_PROGRAM_ID,
      ),
    ),
    [authority],
  );
  return { mint, senders, recipientAta: ata(recipient) };
}

/** The i-th transfer of `sender`: amounts differ so every transaction (and signature) is distinct. */
function transfer(setup: Setup, sender: Keypair, i: number, blockhash: string): Transaction {
  const from = getAssociatedTokenAddressSync(setup.mint, sender.publicKey, false, TOKEN_2022_PROGRAM_ID);
  const tx = new Transaction({ feePayer: sender.publicKey, recentBlockhash: blockhash }).add(
    createTransferCheckedInstruction(
      from,
      setup.mint,
      setup.recipientAta,
      sender.publicKey,
      BigInt(1_000_000 + i),
      DECIMALS,
      [],
      TOKEN_2022_PROGRAM_ID,
    ),
  );
  tx.sign(sender);
  return tx;
}

async function throughRpc(dataDir: string): Promise<number> {
  const chain = await startLocalChain({ dataDir });
  try {
    const accounts = chain.accounts;
    if (!accounts) throw new Error('the local chain was not bootstrapped');
    const authority = readKeypairFile(accounts.keyPaths.treasuryAuthority);
    const client = createRpcClient({ urls: [chain.url], timeoutMs: 10_000 });
    const connection: Connection = client.connection();
    const latest = () => connection.getLatestBlockhash('confirmed');
    const setup = await prepare(
      async (tx, signers) => {
        const { blockhash, lastValidBlockHeight } = await latest();
        tx.recentBlockhash = blockhash;
        tx.feePayer = signers[0]?.publicKey;
        tx.sign(...signers);
        await sendAndConfirm(client, tx, { lastValidBlockHeight, pollEveryMs: 10 });
      },
      async (key) => {
        const signature = await connection.requestAirdrop(key, 10 * LAMPORTS_PER_SOL);
        await connection.confirmTransaction({ signature, ...(await latest()) });
      },
      { mint: accounts.mint, treasuryTokenAccount: accounts.treasuryTokenAccount, authority },
    );
    progress(`  ${SENDERS} senders x ${PER_SENDER} transfers through the RPC client`);
    const start = performance.now();
    await Promise.all(
      setup.senders.map(async (sender) => {
        let { blockhash, lastValidBlockHeight } = await latest();
        for (let i = 0; i < PER_SENDER; i++) {
          if (i % 50 === 0 && i > 0) ({ blockhash, lastValidBlockHeight } = await latest());
          await sendAndConfirm(client, transfer(setup, sender, i, blockhash), { lastValidBlockHeight, pollEveryMs: 5 });
        }
      }),
    );
    return (SENDERS * PER_SENDER) / secondsSince(start);
  } finally {
    await chain.stop();
  }
}

async function inProcess(dataDir: string): Promise<number> {
  const svm = new LiteSVM();
  const accounts = await bootstrapLocalChain(svm, dataDir);
  const authority = readKeypairFile(accounts.keyPaths.treasuryAuthority);
  const decoder = getTransactionDecoder();
  const submit = (tx: Transaction) => {
    const result = svm.sendTransaction(decoder.decode(tx.serialize()));
    if ('err' in result && typeof result.err === 'function' && result.err())
      throw new Error(`in-process transaction failed: ${String(result.err())}`);
  };
  const setup = await prepare(
    async (tx, signers) => {
      tx.recentBlockhash = svm.latestBlockhash();
      tx.feePayer = signers[0]?.publicKey;
      tx.sign(...signers);
      submit(tx);
    },
    async (key) => {
      svm.airdrop(key.toBase58() as never, BigInt(10 * LAMPORTS_PER_SOL) as never);
    },
    { mint: accounts.mint, treasuryTokenAccount: accounts.treasuryTokenAccount, authority },
  );
  progress(`  the same ${SENDERS * PER_SENDER} transfers straight into litesvm in process`);
  const blockhash = svm.latestBlockhash();
  const start = performance.now();
  for (let i = 0; i < PER_SENDER; i++)
    for (const sender of setup.senders) submit(transfer(setup, sender, i, blockhash));
  return (SENDERS * PER_SENDER) / secondsSince(start);
}

async function main() {
  const dirs = [await mkdtemp(join(tmpdir(), 'ao-bench-rpc-')), await mkdtemp(join(tmpdir(), 'ao-bench-svm-'))];
  try {
    progress('local chain over JSON-RPC');
    const rpc = await throughRpc(dirs[0] as string);
    progress(`  ${rpc.toFixed(0)} tx/s`);
    progress('baseline: litesvm in process');
    const direct = await inProcess(dirs[1] as string);
    progress(`  ${direct.toFixed(0)} tx/s`);
    report('rpc', { tx_per_s: Math.round(rpc), ratio_to_in_process: (rpc / direct).toFixed(3) }, [
      `${SENDERS} concurrent senders, ${PER_SENDER} Token-2022 transfer_checked (50 bps fee mint) each, built and signed with web3.js, sent and confirmed with sendAndConfirm (polling every 5 ms) through createRpcClient against the local chain's JSON-RPC server (persistent journal on); ${rpc.toFixed(0)} tx/s.`,
      `baseline: the same transactions (same setup through bootstrapLocalChain on a LiteSVM) sent with LiteSVM.sendTransaction in this process; ${direct.toFixed(0)} tx/s.`,
    ]);
  } finally {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}

await main();
