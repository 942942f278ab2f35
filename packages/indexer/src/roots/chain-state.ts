// What the chain says about publishing: whether the program is there, and the mint's GlobalRootConfig.
import {
  decodeGlobalRootConfig,
  findGlobalRootConfigPda,
  type GlobalRootConfig,
  type RpcClient,
} from '@attention-oracle/sdk';
import type { PublicKey } from '@solana/web3.js';

/** The commitment every publish decision reads at: what sendAndConfirm waits for, so a publish is seen at once. */
export const PUBLISH_COMMITMENT = 'confirmed';

interface AccountInfoAnswer {
  value: { data: [string, string]; executable: boolean; owner: string } | null;
}

/**
 * The mint's GlobalRootConfig, or null when the account does not exist (the global root is not initialized, or no
 * program is deployed).
 *
 * @example const config = await readGlobalRootConfig(client, { programId, mint }); const seq = (config?.latestRootSeq ?? 0n) + 1n;
 */
export async function readGlobalRootConfig(
  client: Pick<RpcClient, 'call'>,
  target: { programId: PublicKey; mint: PublicKey; commitment?: 'confirmed' | 'finalized' },
): Promise<GlobalRootConfig | null> {
  const { address } = findGlobalRootConfigPda({ programId: target.programId, mint: target.mint });
  const info = await client.call<AccountInfoAnswer>('getAccountInfo', [
    address.toBase58(),
    { encoding: 'base64', commitment: target.commitment ?? PUBLISH_COMMITMENT },
  ]);
  if (info.value === null) return null;
  return decodeGlobalRootConfig(Uint8Array.from(Buffer.from(info.value.data[0], 'base64')));
}

/**
 * Whether an executable account exists at `programId`.
 *
 * @example if (!(await isProgramDeployed(client, programId))) console.log(noProgramMessage(programId));
 */
export async function isProgramDeployed(client: Pick<RpcClient, 'call'>, programId: PublicKey): Promise<boolean> {
  const info = await client.call<AccountInfoAnswer>('getAccountInfo', [
    programId.toBase58(),
    { encoding: 'base64', commitment: PUBLISH_COMMITMENT, dataSlice: { offset: 0, length: 0 } },
  ]);
  return info.value?.executable === true;
}

/**
 * What publishing says on a chain without the program (the local chain until one is deployed).
 *
 * @example noProgramMessage(programId) // 'no Attention Oracle program is deployed at Gn... on this chain: ...'
 */
export function noProgramMessage(programId: PublicKey): string {
  return `no Attention Oracle program is deployed at ${programId.toBase58()} on this chain: settlement is direct; roots are built and proofs served, not published`;
}
