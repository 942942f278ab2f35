// The operator's roots commands: build, publish, list, inspect, export, import, and chain-watch. Each prints plain
// lines through `log`; long work shows progress bars on `progress` (stderr in the CLI).
import { readFile, writeFile } from 'node:fs/promises';
import { base58Encode, InvalidArgumentError, toHex } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { SingleBar } from 'cli-progress';
import { watchChain } from '../chain-watch/watch.js';
import { buildRoot } from './build.js';
import { readGlobalRootConfig } from './chain-state.js';
import { exportDataset, importDataset } from './datasets.js';
import type { RootJobContext } from './jobs.js';
import { chainEntry } from './landed.js';
import type { RootProgress } from './progress.js';
import { publishRoot } from './publish.js';
import { type RootRecord, readRoot, selectRoots } from './root-rows.js';

/** What every roots command needs: the root jobs' context plus a line printer and where progress bars are drawn. */
export interface RootsCommandContext extends RootJobContext {
  readonly log: (line: string) => void;
  /** Where progress bars are drawn (the CLI passes process.stderr); none when omitted. */
  readonly progress?: NodeJS.WritableStream;
}

/** Which root a command is about: `id:<n>` for a row id, else a seq (its published or imported root first). */
export type RootRef = { readonly rootId: number } | { readonly seq: bigint };

/**
 * Parses a command-line root reference: `id:12` is row 12, `12` is seq 12.
 *
 * @example parseRootRef('id:12') // { rootId: 12 }
 */
export function parseRootRef(text: string): RootRef {
  const id = /^id:([1-9][0-9]{0,14})$/.exec(text);
  if (id) return { rootId: Number(id[1]) };
  if (/^[1-9][0-9]{0,18}$/.test(text)) return { seq: BigInt(text) };
  throw new InvalidArgumentError(`expected a seq (e.g. 12) or a root id (e.g. id:12), got ${JSON.stringify(text)}`);
}

/**
 * `roots build`: builds the next root now (unless one awaits publishing or nothing changed).
 *
 * @example await rootsBuild(context);
 */
export async function rootsBuild(context: RootsCommandContext): Promise<void> {
  const result = await withBars(context, (onProgress) => buildRoot(context.db, { ...context, onProgress }));
  if (!result.built) {
    const root = result.rootId === null ? '' : ` (root id ${result.rootId})`;
    return context.log(`not built: ${result.skipped}${root}; next seq ${result.seq}`);
  }
  context.log(
    `built root id ${result.rootId}: seq ${result.seq}, ${result.wallets} wallets, total ${result.total}, root 0x${toHex(result.root)}`,
  );
  context.log(
    `dataset hash 0x${toHex(result.datasetHash)}; artifact ${mb(result.artifactBytes)}, dataset ${mb(result.datasetBytes)} (${mb(result.storedDatasetBytes)} gzipped); ${(result.ms.total / 1000).toFixed(2)} s`,
  );
  if (result.superseded.length > 0) context.log(`superseded unpublished roots: ${result.superseded.join(', ')}`);
}

/**
 * `roots publish [--root-id n]`: publishes a root (default: the newest one waiting), or says where it stands.
 * Returns the root's status ('alarm' means an operator must act).
 *
 * @example process.exitCode = (await rootsPublish(context, {})) === 'alarm' ? 1 : 0;
 */
export async function rootsPublish(context: RootsCommandContext, args: { rootId?: number }): Promise<string> {
  let rootId = args.rootId;
  if (rootId === undefined) {
    const [waiting] = await selectRoots(
      context.db.query,
      sql`mint = ${context.mint.toBytes()} and status in ('built', 'awaiting-signature', 'alarm', 'unpublished')`,
    );
    if (waiting === undefined) {
      context.log('nothing to publish: no built root waits (run `roots build` first)');
      return 'none';
    }
    rootId = waiting.id;
  }
  const { publisher } = context;
  if (publisher === undefined) {
    throw new Error(
      'publishing needs the publisher: set PUBLISHER_KEYPAIR_PATH or PUBLISHER_KEYPAIR, or PUBLISH_SIGNER=external',
    );
  }
  const result = await withBars(context, (onProgress) =>
    publishRoot(context.db, {
      client: context.client,
      rootId: rootId as number,
      programId: context.programId,
      signer: publisher === 'external' ? { external: true } : publisher,
      builder: context.builder,
      onProgress,
    }),
  );
  context.log(`root id ${result.rootId} (seq ${result.seq}): ${result.status}`);
  context.log(result.message);
  if (result.status === 'awaiting-signature') {
    const row = await readRoot(context.db.query, result.rootId);
    if (row?.unsignedTx)
      context.log(`unsigned transaction (base64): ${Buffer.from(row.unsignedTx).toString('base64')}`);
  }
  return result.status;
}

/**
 * `roots list`: the newest roots of the mint, one line each.
 *
 * @example await rootsList(context, { limit: 20 });
 */
export async function rootsList(context: RootsCommandContext, args: { limit?: number } = {}): Promise<void> {
  const limit = args.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new InvalidArgumentError(`limit must be 1..1000, got ${limit}`);
  }
  const rows = await selectRoots(context.db.query, sql`mint = ${context.mint.toBytes()}`, sql`id desc`, limit);
  if (rows.length === 0) return context.log('no roots yet');
  context.log('id\tseq\tstatus\twallets\ttotal\tbuilt\tpublish slot\tfinalized');
  for (const r of rows) {
    context.log(
      `${r.id}\t${r.seq}\t${r.status}\t${r.wallets}\t${r.total}\t${r.builtAt.toISOString()}\t${r.publishSlot ?? '-'}\t${r.finalized ? 'yes' : 'no'}`,
    );
  }
}

/**
 * `roots inspect <seq|id:n>`: everything about one root, and what the chain holds at its seq.
 *
 * @example await rootsInspect(context, parseRootRef('7'));
 */
export async function rootsInspect(context: RootsCommandContext, ref: RootRef): Promise<void> {
  const row = await findRoot(context, ref);
  const { log } = context;
  log(`root id ${row.id}: seq ${row.seq}, status ${row.status}${row.reason ? ` (${row.reason})` : ''}`);
  log(`root 0x${toHex(row.root)}`);
  log(`dataset hash 0x${toHex(row.datasetHash)}`);
  log(`leaf ${row.leafVersion}, ${row.wallets} wallets, total ${row.total}, mint ${base58Encode(row.mint)}`);
  log(
    `built ${row.builtAt.toISOString()}${row.buildMs === null ? '' : ` in ${row.buildMs} ms`}; ledger mark ${row.ledgerMark}`,
  );
  log(
    `publish: signature ${row.publishSignature ?? '-'}, slot ${row.publishSlot ?? '-'}, finalized ${row.finalized ? 'yes' : 'no'}`,
  );
  const blobs = await context.db.query<{ kind: string; bytes: string }>(sql`
    select kind, sum(length(data))::text as bytes from root_blobs where root_id = ${row.id} group by kind order by kind`);
  log(`stored: ${blobs.map((b) => `${b.kind} ${mb(Number(b.bytes))}`).join(', ') || 'nothing'}`);
  if (row.unsignedTx) log(`unsigned transaction (base64): ${Buffer.from(row.unsignedTx).toString('base64')}`);
  const config = await readGlobalRootConfig(context.client, { programId: context.programId, mint: context.mint });
  if (config === null) return log('chain: no GlobalRootConfig for this mint (the global root does not exist here)');
  const entry = chainEntry(config, row.seq);
  if (entry === null) {
    return log(`chain: latest seq ${config.latestRootSeq}; seq ${row.seq} is not among its four roots`);
  }
  const same = toHex(entry.root) === toHex(row.root) && toHex(entry.datasetHash) === toHex(row.datasetHash);
  log(
    `chain: latest seq ${config.latestRootSeq}; seq ${row.seq} holds root 0x${toHex(entry.root)} at slot ${entry.publishedSlot} (${same ? 'this root' : 'ANOTHER root'})`,
  );
}

/**
 * `roots export <seq|id:n> <file>`: writes a root's dataset file.
 *
 * @example await rootsExport(context, { ref: { seq: 7n }, file: 'seq-7.dataset' });
 */
export async function rootsExport(context: RootsCommandContext, args: { ref: RootRef; file: string }): Promise<void> {
  const file = await withBars(context, async (onProgress) => {
    onProgress({ phase: 'read', done: 0, total: 1 });
    const bytes = await exportDataset(
      context.db.query,
      'rootId' in args.ref ? args.ref : { seq: args.ref.seq, mint: context.mint.toBytes() },
    );
    onProgress({ phase: 'read', done: 1, total: 1 });
    await writeFile(args.file, bytes);
    return bytes;
  });
  context.log(`wrote ${args.file}: ${mb(file.length)}`);
}

/**
 * `roots import <file>`: imports a root's dataset once the chain confirms it (how a foreign root is accepted).
 *
 * @example await rootsImport(context, { file: 'seq-7.dataset', actor: 'cli' });
 */
export async function rootsImport(context: RootsCommandContext, args: { file: string; actor: string }): Promise<void> {
  const bytes = await readFile(args.file);
  const result = await withBars(context, (onProgress) =>
    importDataset(context.db, bytes, {
      client: context.client,
      programId: context.programId,
      actor: args.actor,
      builder: context.builder,
      onProgress,
    }),
  );
  context.log(
    `${result.imported ? 'imported' : 'already stored'}: root id ${result.rootId}, seq ${result.seq}, ${result.wallets} wallets, total ${result.total}, root 0x${toHex(result.root)}`,
  );
}

/**
 * `chain-watch`: records the program's events since the cursor, once.
 *
 * @example await chainWatchOnce(context);
 */
export async function chainWatchOnce(context: RootsCommandContext): Promise<void> {
  const result = await withBars(context, (onProgress) =>
    watchChain(context.db, { client: context.client, programId: context.programId, mint: context.mint, onProgress }),
  );
  context.log(
    `chain-watch: ${result.transactions} transactions (${result.failed} failed skipped), ${result.claims} claims, ${result.roots} root publishes, ${result.rootsPublished} of our roots seen published, ${result.finalized} finalized`,
  );
  context.log(result.cursor ? `cursor: ${result.cursor.signature} at slot ${result.cursor.slot}` : 'cursor: none yet');
  if (result.incomplete) context.log('the node did not serve every transaction yet: run again to continue');
}

async function findRoot(context: RootsCommandContext, ref: RootRef): Promise<RootRecord> {
  if ('rootId' in ref) {
    const row = await readRoot(context.db.query, ref.rootId);
    if (row === null) throw new InvalidArgumentError(`there is no root with id ${ref.rootId}`);
    return row;
  }
  const [row] = await selectRoots(
    context.db.query,
    sql`mint = ${context.mint.toBytes()} and seq = ${ref.seq.toString()}::bigint`,
    sql`(status in ('published', 'imported')) desc, id desc`,
    1,
  );
  if (row === undefined) throw new InvalidArgumentError(`there is no root with seq ${ref.seq} for this mint`);
  return row;
}

/** Runs `work` with one progress bar per phase on `context.progress`. */
async function withBars<T>(context: RootsCommandContext, work: (onProgress: RootProgress) => Promise<T>): Promise<T> {
  const stream = context.progress;
  if (stream === undefined) return work(() => {});
  let bar: SingleBar | undefined;
  let phase = '';
  try {
    return await work((event) => {
      if (event.phase !== phase) {
        bar?.stop();
        phase = event.phase;
        bar = new SingleBar({ format: `${phase.padEnd(12)} [{bar}] {percentage}% {value}/{total}`, stream });
        bar.start(Math.max(1, event.total), 0);
      }
      bar?.setTotal(Math.max(1, event.total));
      bar?.update(event.done);
    });
  } finally {
    bar?.stop();
  }
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
