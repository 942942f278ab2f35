// What bootstrapping needs from a chain, over either an RPC endpoint (web3.js Connection) or a LiteSVM in process.
import { address, getTransactionDecoder, lamports as toLamports } from '@solana/kit';
import { Connection, type Keypair, PublicKey, sendAndConfirmTransaction, type Transaction } from '@solana/web3.js';
import { FailedTransactionMetadata, type LiteSVM } from 'litesvm';
import type { DeployProgram } from './local-program.js';

/** An account as bootstrapping reads it. */
export interface TargetAccount {
  owner: PublicKey;
  data: Buffer;
  lamports: bigint;
}

/** The chain operations bootstrapping uses. */
export interface BootstrapTarget {
  account(key: PublicKey): Promise<TargetAccount | null>;
  airdrop(key: PublicKey, lamports: bigint): Promise<void>;
  send(tx: Transaction, signers: Keypair[]): Promise<void>;
  rentExempt(space: number): Promise<number>;
  /** Puts program bytes on the chain (absent over plain RPC, which cannot deploy). */
  deploy?: DeployProgram;
}

/** A target over an RPC endpoint; waits for each transaction to confirm. `deploy` reaches the chain some other way. */
export function connectionTarget(connection: Connection, deploy?: DeployProgram): BootstrapTarget {
  return {
    deploy,
    async account(key) {
      const info = await connection.getAccountInfo(key, 'confirmed');
      return info ? { owner: info.owner, data: info.data, lamports: BigInt(info.lamports) } : null;
    },
    async airdrop(key, lamports) {
      const latest = await connection.getLatestBlockhash('confirmed');
      const signature = await connection.requestAirdrop(key, Number(lamports));
      const result = await connection.confirmTransaction({ signature, ...latest }, 'confirmed');
      if (result.value.err) throw new Error(`airdrop to ${key.toBase58()} failed: ${JSON.stringify(result.value.err)}`);
    },
    async send(tx, signers) {
      await sendAndConfirmTransaction(connection, tx, signers, { commitment: 'confirmed' });
    },
    rentExempt: (space) => connection.getMinimumBalanceForRentExemption(space),
  };
}

/** A target over a LiteSVM instance in this process. */
export function svmTarget(svm: LiteSVM): BootstrapTarget {
  const decoder = getTransactionDecoder();
  const check = (result: ReturnType<LiteSVM['sendTransaction']> | null, what: string) => {
    if (result === null || result instanceof FailedTransactionMetadata) {
      throw new Error(`${what} failed: ${result === null ? 'no result' : result.toString()}`);
    }
  };
  return {
    async account(key) {
      const account = svm.getAccount(address(key.toBase58()));
      if (!account.exists || account.lamports === 0n) return null;
      return {
        owner: new PublicKey(account.programAddress),
        data: Buffer.from(account.data),
        lamports: account.lamports,
      };
    },
    async airdrop(key, lamports) {
      check(svm.airdrop(address(key.toBase58()), toLamports(lamports)), `airdrop to ${key.toBase58()}`);
    },
    async send(tx, signers) {
      tx.recentBlockhash = svm.latestBlockhash();
      tx.sign(...signers);
      check(svm.sendTransaction(decoder.decode(tx.serialize())), 'transaction');
    },
    rentExempt: async (space) => Number(svm.minimumBalanceForRentExemption(BigInt(space))),
    deploy(programId, elf) {
      svm.addProgram(address(programId.toBase58()), elf);
    },
  };
}

/** A target for an RPC URL, a Connection or a LiteSVM; `deploy` serves the first two. */
export function bootstrapTarget(target: string | Connection | LiteSVM, deploy?: DeployProgram): BootstrapTarget {
  if (typeof target === 'string') return connectionTarget(new Connection(target, 'confirmed'), deploy);
  if (target instanceof Connection) return connectionTarget(target, deploy);
  return svmTarget(target);
}
