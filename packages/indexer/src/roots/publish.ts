// root-publish: check a built root against its dataset and the chain, then publish it, or find it published. Safe to
// retry at any point: every attempt reads the chain first, and the program accepts only latest_root_seq + 1.
import { base58Encode, parseDataset, type TreeBuilder, verifyDataset } from '@attention-oracle/core';
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';
import {
  decodeProtocolState,
  findProtocolStatePda,
  type GlobalRootConfig,
  ProgramErrorCode,
  programErrorFromTransactionError,
  type RpcClient,
  sendAndConfirm,
  TransactionFailedError,
} from '@attention-oracle/sdk';
import type { RoleKey } from '@attention-oracle/sdk/node';
import { PublicKey } from '@solana/web3.js';
import { activeAlarms, clearAlarm, raiseAlarm } from '../alarms.js';
import { isProgramDeployed, noProgramMessage, PUBLISH_COMMITMENT, readGlobalRootConfig } from './chain-state.js';
import { chainEntry, findPublishSignature } from './landed.js';
import { checkMonotonicTotals } from './monotonic-totals.js';
import { phaseProgress, type RootProgress } from './progress.js';
import { decidePublish } from './publish-decision.js';
import { publishTransaction, unsignedWireBytes } from './publish-transaction.js';
import { readRootDataset } from './root-blobs.js';
import {
  markRootPublished,
  type RootRecord,
  type RootStatus,
  readRoot,
  selectRoots,
  setRootStatus,
  systemRoots,
} from './root-rows.js';

/**
 * Who signs publishes: the publisher key, or an external signer (multisig, remote signer) that is handed the unsigned
 * transaction; its fee payer is `payer`, by default the ProtocolState's publisher.
 */
export type PublishSigner = RoleKey | { readonly external: true; readonly payer?: PublicKey };

/** Options of {@link publishRoot}. */
export interface PublishRootOptions {
  readonly client: Pick<RpcClient, 'call'>;
  readonly rootId: number;
  readonly programId: PublicKey;
  readonly signer: PublishSigner;
  /** For rebuilding the root from its dataset; default in-thread. */
  readonly builder?: TreeBuilder;
  readonly onProgress?: RootProgress;
  /** sendAndConfirm's status poll and re-send intervals (defaults 500 and 2,000 ms). */
  readonly pollEveryMs?: number;
  readonly resendEveryMs?: number;
}

/** What {@link publishRoot} left the root as. */
export interface PublishRootResult {
  readonly rootId: number;
  readonly seq: bigint;
  readonly status: RootStatus;
  readonly signature: string | null;
  readonly slot: bigint | null;
  /** One plain sentence for the operator. */
  readonly message: string;
}

/** The alarm that stops publishing while the treasury cannot cover what is owed. */
const TREASURY_ALARM = 'treasury-coverage';

/**
 * Publishes root `rootId`, or records that it is published, superseded, unpublishable or stopped by an alarm.
 * Errors of the RPC (timeouts, a confirmation that never came) are thrown for the job to retry; the retry reads the
 * chain before anything else, so a publish that landed is recorded, never repeated.
 *
 * @example
 * const result = await publishRoot(db, { client, rootId, programId, signer: publisher });
 * log.info(result.message);
 */
export async function publishRoot(db: DatabaseHandle, options: PublishRootOptions): Promise<PublishRootResult> {
  const { client, programId, rootId } = options;
  const query = db.query;
  let row = await readRoot(query, rootId);
  if (row === null) throw new Error(`there is no root with id ${rootId}`);
  if (row.status === 'published') {
    return result(row, 'published', `root ${rootId} (seq ${row.seq}) is already published at slot ${row.publishSlot}`);
  }
  if (row.status === 'superseded' || row.status === 'imported') {
    return result(row, row.status, `root ${rootId} (seq ${row.seq}) is ${row.status}: nothing to publish`);
  }
  if (!(await isProgramDeployed(client, programId))) {
    const message = noProgramMessage(programId);
    await setRootStatus(query, rootId, 'unpublished', message);
    return result(row, 'unpublished', message);
  }
  const verify = phaseProgress(options.onProgress, 'verify');
  verify(0, row.wallets);
  const dataset = await readRootDataset(query, rootId);
  const problem =
    dataset === null ? `root ${rootId} has no stored dataset` : await datasetProblem(dataset, row, options.builder);
  verify(row.wallets, row.wallets);
  if (problem !== null) return stop(query, row, problem, { rootId, reason: 'dataset' });
  const mint = new PublicKey(row.mint);

  // At most twice: a publish that loses a race with another publisher is decided again from the chain.
  for (let attempt = 0; ; attempt++) {
    const config = await readGlobalRootConfig(client, { programId, mint });
    const known = await systemRoots(query, row.mint);
    const decision = decidePublish({ chain: config, candidate: row, publishedBySystem: (seq) => known.get(seq) });
    if (decision.action === 'done') {
      const signature = await findPublishSignature(query, client, { ...row, recorded: row.publishSignature });
      await markRootPublished(query, rootId, { signature, slot: decision.slot });
      await clearAlarm(query, 'root-publish');
      return { ...result(row, 'published', decision.message), signature, slot: decision.slot };
    }
    if (decision.action === 'stale') {
      await setRootStatus(query, rootId, 'superseded', decision.message);
      return result(row, 'superseded', decision.message);
    }
    if (decision.action === 'alarm') {
      if (decision.reason === 'root-mismatch' && (await ownRootAt(query, client, config, row))) {
        const message = `seq ${row.seq} was published from another root this system built: root ${rootId} is superseded`;
        await setRootStatus(query, rootId, 'superseded', message);
        return result(row, 'superseded', message);
      }
      return stop(query, row, decision.message, { rootId, reason: decision.reason });
    }

    const refusal = await monotonicProblem(query, row, config);
    if (refusal !== null) return stop(query, row, refusal, { rootId, reason: 'decreased-total' });
    const treasury = (await activeAlarms(query)).find((a) => a.name === TREASURY_ALARM);
    if (treasury) {
      const message = `not publishing root ${rootId} (seq ${row.seq}) while the ${TREASURY_ALARM} alarm is active: ${treasury.message}`;
      await setRootStatus(query, rootId, row.status, message);
      return result(row, row.status, message);
    }

    const { signer } = options;
    if ('external' in signer && row.status === 'awaiting-signature') {
      const message = `root ${rootId} (seq ${row.seq}) awaits the external signer; the chain does not hold it yet`;
      return result(row, 'awaiting-signature', message);
    }
    const payer = 'external' in signer ? (signer.payer ?? (await publisherOf(client, programId))) : signer.publicKey;
    const { transaction, lastValidBlockHeight } = await publishTransaction(client, {
      programId,
      mint,
      payer,
      seq: row.seq,
      root: row.root,
      datasetHash: row.datasetHash,
    });
    if ('external' in signer) {
      await query(sql`update roots set status = 'awaiting-signature', unsigned_tx = ${unsignedWireBytes(transaction)},
          reason = 'waiting for the external signer' where id = ${rootId}`);
      const message = `root ${rootId} (seq ${row.seq}): unsigned publish transaction stored for the external signer`;
      return result(row, 'awaiting-signature', message);
    }
    await signer.signTransaction(transaction);
    const signature = base58Encode(transaction.signature as Uint8Array);
    // Recorded before sending: after a crash, the next attempt can name the transaction that landed.
    await query(sql`update roots set publish_signature = ${signature} where id = ${rootId}`);
    try {
      const sent = await sendAndConfirm(client, transaction, {
        lastValidBlockHeight,
        commitment: PUBLISH_COMMITMENT,
        ...(options.pollEveryMs === undefined ? {} : { pollEveryMs: options.pollEveryMs }),
        ...(options.resendEveryMs === undefined ? {} : { resendEveryMs: options.resendEveryMs }),
      });
      const slot = BigInt(sent.slot);
      await markRootPublished(query, rootId, { signature: sent.signature, slot });
      await clearAlarm(query, 'root-publish');
      return {
        ...result(row, 'published', `published root ${rootId} as seq ${row.seq} in ${sent.signature} at slot ${slot}`),
        signature: sent.signature,
        slot,
      };
    } catch (error) {
      if (!(error instanceof TransactionFailedError)) throw error;
      const programError = programErrorFromTransactionError({ err: error.err, logs: error.logs }, { programId });
      if (programError?.code === ProgramErrorCode.InvalidRootSeq && attempt === 0) {
        row = (await readRoot(query, rootId)) ?? row;
        continue;
      }
      const message = `the publish transaction for root ${rootId} (seq ${row.seq}) failed: ${programError?.message ?? error.message}`;
      return stop(query, row, message, { rootId, reason: 'transaction-failed', signature });
    }
  }
}

function result(row: RootRecord, status: RootStatus, message: string): PublishRootResult {
  return {
    rootId: row.id,
    seq: row.seq,
    status,
    signature: row.publishSignature,
    slot: row.publishSlot,
    message,
  };
}

/** Raises the root-publish alarm and parks the root in status 'alarm'. */
async function stop(
  query: RawQuery,
  row: RootRecord,
  message: string,
  details: Record<string, unknown>,
): Promise<PublishRootResult> {
  await raiseAlarm(query, 'root-publish', message, details);
  await setRootStatus(query, row.id, 'alarm', message);
  return result(row, 'alarm', message);
}

/** Why the stored dataset does not stand for the row, or null when it rebuilds to exactly it. */
async function datasetProblem(dataset: Uint8Array, row: RootRecord, builder?: TreeBuilder): Promise<string | null> {
  const check = await verifyDataset(
    dataset,
    { root: row.root, datasetHash: row.datasetHash, mint: row.mint, rootSeq: row.seq },
    builder,
  );
  if (check.ok) return null;
  return `root ${row.id} (seq ${row.seq}) does not match its stored dataset: ${check.problems.join('; ')}`;
}

/** Why publishing would lower a wallet's total below the chain's latest root, or null. */
async function monotonicProblem(
  query: RawQuery,
  row: RootRecord,
  config: GlobalRootConfig | null,
): Promise<string | null> {
  const latest = config?.latestRootSeq ?? 0n;
  if (latest === 0n) return null;
  const previous = (await systemRoots(query, row.mint)).get(latest);
  const file = previous === undefined ? null : await readRootDataset(query, previous.id);
  if (file === null) return `the dataset of seq ${latest} (the chain's latest root) is not stored: import it first`;
  const current = await readRootDataset(query, row.id);
  if (current === null) return `root ${row.id} has no stored dataset`;
  const check = checkMonotonicTotals(parseDataset(file).leaves, parseDataset(current).leaves);
  if (check.ok) return null;
  const first = check.decreased[0];
  const example = first ? `; e.g. ${first.wallet} ${first.previous} -> ${first.next}` : '';
  return `refusing to publish root ${row.id} (seq ${row.seq}): ${check.decreasedCount} wallets' totals are below seq ${latest} and ${check.missing} wallets of seq ${latest} are missing${example}`;
}

/** Whether the chain's root at the row's seq is another root this system built (a race between two builds). */
async function ownRootAt(
  query: RawQuery,
  client: Pick<RpcClient, 'call'>,
  config: GlobalRootConfig | null,
  row: RootRecord,
): Promise<boolean> {
  const entry = chainEntry(config, row.seq);
  if (entry === null) return false;
  const [own] = await selectRoots(
    query,
    sql`mint = ${row.mint} and seq = ${row.seq.toString()}::bigint and root = ${entry.root} and dataset_hash = ${entry.datasetHash}`,
  );
  if (own === undefined) return false;
  if (own.status !== 'published') {
    const signature = await findPublishSignature(query, client, { ...own, recorded: own.publishSignature });
    await markRootPublished(query, own.id, { signature, slot: entry.publishedSlot });
  }
  return true;
}

/** The ProtocolState's publisher: the payer of an unsigned publish for an external signer. */
async function publisherOf(client: Pick<RpcClient, 'call'>, programId: PublicKey): Promise<PublicKey> {
  const { address } = findProtocolStatePda({ programId });
  const info = await client.call<{ value: { data: [string, string] } | null }>('getAccountInfo', [
    address.toBase58(),
    { encoding: 'base64', commitment: PUBLISH_COMMITMENT },
  ]);
  if (info.value === null) throw new Error(`no ProtocolState at ${address.toBase58()}: the program is not initialized`);
  return decodeProtocolState(Uint8Array.from(Buffer.from(info.value.data[0], 'base64'))).publisher;
}
