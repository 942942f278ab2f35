// The local chain's ledger: one litesvm, a slot clock and a journal that makes every landed transaction durable
// before anyone is told about it. Everything runs on the event-loop thread, so executions are serialized in arrival
// order and the journal's order is the execution order.
import { Clock, type LiteSVM } from 'litesvm';
import { resolveAccountKeys } from './account-keys.js';
import { accountWrite } from './account-state.js';
import { decodeAddress, encodeAddress, encodeBase58 } from './base58.js';
import { execute, type Rejection } from './execute.js';
import { airdropTransaction, type Faucet, MAX_AIRDROP_LAMPORTS } from './faucet.js';
import type { AccountWrite } from './ledger-record.js';
import { applyWrites, SLOTS_PER_EPOCH } from './ledger-recovery.js';
import { LedgerView } from './ledger-view.js';
import type { LedgerWriter } from './ledger-writer.js';
import { type Simulation, simulate } from './simulate.js';
import type { BlockhashInfo, SlotClock } from './slot-clock.js';
import { SlotHashesSysvar } from './slot-hashes.js';
import type { TransactionErrorJson } from './tx-error.js';
import { parseWireTransaction, usesDurableNonce, type WireTransaction } from './wire-transaction.js';

/** The outcome of sendTransaction. */
export type SendResult =
  | { signature: string; status: 'landed'; err: TransactionErrorJson | null }
  | { signature: string; status: 'rejected'; rejection: Rejection }
  | { signature: string; status: 'duplicate' };

/** Options of simulateTransaction. */
export interface SimulateOptions {
  sigVerify?: boolean;
  replaceRecentBlockhash?: boolean;
  /** Addresses whose post-simulation state to return. */
  accounts?: string[];
}

const rejected = (signature: string, err: TransactionErrorJson): SendResult => ({
  signature,
  status: 'rejected',
  rejection: { err, logs: [], unitsConsumed: 0 },
});

/** A persistent local Solana ledger over litesvm; open it with `openLedger`. */
export class LocalLedger extends LedgerView {
  #closed = false;
  readonly #slotHashes: SlotHashesSysvar;

  /** @internal Use `openLedger`. */
  constructor(
    svm: LiteSVM,
    clock: SlotClock,
    writer: LedgerWriter,
    faucet: Faucet,
    private readonly releaseLock: () => void,
  ) {
    super(svm, clock, writer, faucet);
    this.#slotHashes = new SlotHashesSysvar(this.raw, (slot) => clock.blockhashAt(slot));
    clock.onSlot((slot) => this.#syncClock(slot));
    this.#syncClock(clock.slot);
  }

  /**
   * Executes a serialized transaction. With preflight, one that fails is undone and rejected without a trace (its
   * writable accounts restored); without it, a failed execution that charged its fee lands with its error, as on
   * Solana. Throws WireFormatError for bytes that are not a transaction.
   */
  sendTransaction(bytes: Uint8Array, options: { skipPreflight?: boolean } = {}): SendResult {
    this.#assertWritable();
    const tx = parseWireTransaction(bytes);
    const signature = encodeBase58(tx.signatures[0] as Uint8Array);
    if (this.writer.history.get(signature)) return { signature, status: 'duplicate' };
    if (!this.#blockhashUsable(tx)) return rejected(signature, 'BlockhashNotFound');
    const keys = resolveAccountKeys(this.raw, tx);
    if ('error' in keys) return rejected(signature, keys.error);
    const execution = execute(this.raw, tx, keys, signature, !options.skipPreflight);
    if (!execution.landed) return { signature, status: 'rejected', rejection: execution.rejection };
    this.writer.append(execution.writes, execution.transaction);
    return { signature, status: 'landed', err: execution.transaction.err };
  }

  /** Simulates a serialized transaction; nothing is committed. Throws WireFormatError for bad bytes. */
  simulateTransaction(
    bytes: Uint8Array,
    options: SimulateOptions = {},
  ): Simulation & { replacementBlockhash?: BlockhashInfo } {
    this.#assertOpen();
    const tx = parseWireTransaction(bytes);
    const none = { logs: [], unitsConsumed: 0, returnData: null, innerInstructions: [], accounts: undefined };
    if (!options.replaceRecentBlockhash && !this.#blockhashUsable(tx)) return { err: 'BlockhashNotFound', ...none };
    const keys = resolveAccountKeys(this.raw, tx);
    if ('error' in keys) return { err: keys.error, ...none };
    // litesvm's own blockhash check is off, so "replacing" the blockhash needs no rewrite of the message.
    const result = simulate(this.raw, tx, options.sigVerify ?? false, options.accounts);
    return options.replaceRecentBlockhash ? { ...result, replacementBlockhash: this.clock.latest() } : result;
  }

  /** Sends `lamports` from the faucet to `address` as a real transfer; returns its outcome. */
  requestAirdrop(address: string, lamports: bigint): SendResult {
    const recipient = decodeAddress(address);
    if (!recipient) throw new RangeError(`not an address: ${address}`);
    if (lamports <= 0n || lamports > MAX_AIRDROP_LAMPORTS) {
      throw new RangeError(`an airdrop must be between 1 and ${MAX_AIRDROP_LAMPORTS} lamports`);
    }
    const nonce = this.writer.lastSeq + 1;
    return this.sendTransaction(
      airdropTransaction(this.faucet, recipient, lamports, this.clock.latest().blockhash, nonce),
    );
  }

  /** Deploys an SBF program (upgradeable loader) at `programId`, journaled like any change. */
  addProgram(programId: string, elf: Uint8Array): void {
    this.#assertWritable();
    const id = decodeAddress(programId);
    if (!id) throw new RangeError(`not an address: ${programId}`);
    this.raw.addProgram(id, elf);
    const writes = [accountWrite(this.raw, id, programId)];
    // UpgradeableLoaderState::Program { programdata_address } is bytes 4..36 of the program account.
    const program = this.raw.getAccount(id)?.data();
    if (program?.length === 36)
      writes.push(accountWrite(this.raw, program.subarray(4, 36), encodeAddress(program.subarray(4, 36))));
    this.writer.append(writes, undefined, `program ${programId}`);
  }

  /** Overwrites accounts outright (genesis, fixtures, local tooling), journaled. */
  setAccounts(writes: AccountWrite[], note = 'set accounts'): void {
    this.#assertWritable();
    applyWrites(this.raw, writes);
    this.writer.append(writes, undefined, note);
  }

  /** Moves the clock `slots` forward at once (tests expire blockhashes this way without waiting). */
  warp(slots: number): void {
    this.clock.advance(slots);
  }

  /** Stops the clock, waits for the journal, snapshots and releases the data folder. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.clock.stop();
    try {
      await this.writer.close();
    } finally {
      this.releaseLock();
    }
  }

  #blockhashUsable(tx: WireTransaction): boolean {
    return this.clock.isValid(encodeAddress(tx.recentBlockhash)) || usesDurableNonce(tx);
  }

  #syncClock(slot: number): void {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const epoch = BigInt(Math.floor(slot / SLOTS_PER_EPOCH));
    this.raw.setClock(new Clock(BigInt(slot), now, epoch, epoch, now));
    this.#slotHashes.update(slot);
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the local ledger is closed');
  }

  #assertWritable(): void {
    this.#assertOpen();
    const failure = this.writer.failure;
    if (failure) throw new Error(`the local ledger stopped after a journal write failed: ${failure.message}`);
  }
}
