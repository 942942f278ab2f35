// verify-root: anyone holding a published dataset can rebuild its root and check it against the chain.
import { base58Encode, type DatasetVerification, parseDataset, toHex, verifyDataset } from '@attention-oracle/core';
import { decodeGlobalRootConfig, findGlobalRootConfigPda, type RpcClient } from '@attention-oracle/sdk';
import { PublicKey } from '@solana/web3.js';

/** The dataset's own rebuild, and what the chain holds for its root_seq. */
export interface RootVerification {
  ok: boolean;
  /** One line per mismatch or problem, empty when `ok`. */
  problems: string[];
  dataset: DatasetVerification;
  /** The GlobalRootConfig account the comparison used. */
  account: string;
  latestRootSeq: bigint | null;
}

/**
 * Rebuilds the root of `file` (a dataset) and compares root and dataset_hash with the program's GlobalRootConfig for
 * the dataset's mint at its root_seq. A root_seq that has rotated out of the program's four-root window cannot be
 * compared on chain, and says so.
 *
 * @example const { ok, problems } = await verifyRootAgainstChain(await readFile(path), client, { programId });
 */
export async function verifyRootAgainstChain(
  file: Uint8Array,
  client: Pick<RpcClient, 'call'>,
  options: { programId?: PublicKey } = {},
): Promise<RootVerification> {
  const { mint, rootSeq } = parseDataset(file);
  const dataset = await verifyDataset(file);
  const { address } = findGlobalRootConfigPda({ mint: new PublicKey(mint), programId: options.programId });
  const account = address.toBase58();
  const info = await client.call<{ value: { data: [string, string] } | null }>('getAccountInfo', [
    account,
    { encoding: 'base64', commitment: 'finalized' },
  ]);
  const problems: string[] = [];
  if (!info.value) {
    problems.push(
      `no GlobalRootConfig at ${account} for mint ${base58Encode(mint)}: the global root is not initialized`,
    );
    return { ok: false, problems, dataset, account, latestRootSeq: null };
  }
  const config = decodeGlobalRootConfig(Uint8Array.from(Buffer.from(info.value.data[0], 'base64')));
  const entry = config.roots[Number(rootSeq % 4n)];
  if (!entry || entry.seq !== rootSeq) {
    problems.push(
      `root_seq ${rootSeq} is not among the chain's four servable roots (latest is ${config.latestRootSeq}): it cannot be compared on chain`,
    );
  } else {
    if (toHex(entry.root) !== toHex(dataset.root)) {
      problems.push(`root: the dataset rebuilds to ${toHex(dataset.root)}, the chain holds ${toHex(entry.root)}`);
    }
    if (toHex(entry.datasetHash) !== toHex(dataset.datasetHash)) {
      problems.push(
        `dataset_hash: the file hashes to ${toHex(dataset.datasetHash)}, the chain holds ${toHex(entry.datasetHash)}`,
      );
    }
  }
  return { ok: problems.length === 0, problems, dataset, account, latestRootSeq: config.latestRootSeq };
}
