// The address lookup table that lets claims with deep proofs fit a v0 transaction: the one the sponsor created
// before (remembered in audit_log, action `claims.lookup-table`), or a new one the sponsor creates and pays for.
import { sql } from '@attention-oracle/db';
import { audit, type ChainContext } from '@attention-oracle/indexer';
import { claimLookupTableAddresses, type ProgramConfig, sendAndConfirm } from '@attention-oracle/sdk';
import type { RoleKey } from '@attention-oracle/sdk/node';
import { type AddressLookupTableAccount, AddressLookupTableProgram, PublicKey, Transaction } from '@solana/web3.js';
import type { ServerDeps } from '../context.js';

/** The audit action naming a lookup table the sponsor created (subject: its address). */
export const LOOKUP_TABLE_ACTION = 'claims.lookup-table';

/**
 * The lookup table holding `claimLookupTableAddresses(program)`: a recorded one still on chain, else one the sponsor
 * creates now; null when there is none and no sponsor key to create one. Found once per server.
 *
 * @example const table = await claimLookupTable(ctx, chain, program); if (table) buildClaimTransaction({ ..., lookupTable: table });
 */
export function claimLookupTable(
  deps: ServerDeps,
  chain: ChainContext,
  program: ProgramConfig,
): Promise<AddressLookupTableAccount | null> {
  const state = deps.claims;
  if (state.lookupTable !== null) return state.lookupTable;
  const found = findOrCreate(deps, chain, program);
  state.lookupTable = found;
  // A failure or "none yet" is not remembered: the next deep claim tries again.
  found.then(
    (table) => {
      if (table === null) state.lookupTable = null;
    },
    () => {
      state.lookupTable = null;
    },
  );
  return found;
}

async function findOrCreate(
  deps: ServerDeps,
  chain: ChainContext,
  program: ProgramConfig,
): Promise<AddressLookupTableAccount | null> {
  const needed = claimLookupTableAddresses(program);
  const connection = chain.client.connection();
  const recorded = await deps.db.query<{ subject: string }>(sql`select subject from audit_log
    where action = ${LOOKUP_TABLE_ACTION} and subject is not null order by id desc limit 8`);
  for (const { subject } of recorded) {
    const table = (await connection.getAddressLookupTable(new PublicKey(subject), { commitment: 'confirmed' })).value;
    if (table?.isActive() && needed.every((a) => table.state.addresses.some((b) => b.equals(a)))) return table;
  }
  const sponsor = deps.claims.sponsor().key;
  return sponsor === null ? null : create(deps, chain, sponsor, needed);
}

async function create(
  deps: ServerDeps,
  chain: ChainContext,
  sponsor: RoleKey,
  addresses: PublicKey[],
): Promise<AddressLookupTableAccount> {
  const connection = chain.client.connection();
  const authority = sponsor.publicKey;
  const recentSlot = await connection.getSlot('finalized');
  const [createIx, address] = AddressLookupTableProgram.createLookupTable({ authority, payer: authority, recentSlot });
  const extendIx = AddressLookupTableProgram.extendLookupTable({
    lookupTable: address,
    authority,
    payer: authority,
    addresses,
  });
  const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash('confirmed');
  const tx = new Transaction({ feePayer: authority, blockhash, lastValidBlockHeight }).add(createIx, extendIx);
  await sponsor.signTransaction(tx);
  const { signature, slot } = await sendAndConfirm(chain.client, tx, { lastValidBlockHeight });
  await audit(deps.db.query, `sponsor:${authority.toBase58()}`, LOOKUP_TABLE_ACTION, address.toBase58(), {
    signature,
    slot,
    addresses: addresses.map((a) => a.toBase58()),
  });
  deps.logger.info({ table: address.toBase58(), signature }, 'claim lookup table created');
  // Addresses added in a slot are usable from the next one.
  for (let tries = 0; (await connection.getSlot('confirmed')) <= slot; tries++) {
    if (tries >= 100) throw new Error(`the chain did not move past slot ${slot} after creating a lookup table`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const table = (await connection.getAddressLookupTable(address, { commitment: 'confirmed' })).value;
  if (table === null) throw new Error(`lookup table ${address.toBase58()} not found after it was created`);
  return table;
}
