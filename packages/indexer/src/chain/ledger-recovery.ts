// Rebuilding a ledger from its data folder: the latest snapshot, then the post-states recorded by every journal record
// after it, applied with setAccount (no re-execution, so replay cannot diverge from what happened). The journal is
// also read from the start to rebuild the transaction index. Without a usable snapshot the journal replays from
// genesis, which it fully describes.
import { Account, EpochSchedule, LiteSVM } from 'litesvm';
import { decodeAddress } from './base58.js';
import { chainPaths } from './data-dir.js';
import { Journal } from './journal.js';
import { type AccountWrite, decodeRecord } from './ledger-record.js';
import { createChainSvm, type RawSvm, rawSvm } from './raw-svm.js';
import { SnapshotStore } from './snapshot-store.js';
import { TxHistory } from './tx-history.js';

const U64_MAX = 18_446_744_073_709_551_615n;
/** Slots per epoch (mainnet's), without warmup so epoch = slot / 432,000. */
export const SLOTS_PER_EPOCH = 432_000;

/** The state every chain starts from (a fresh litesvm, configured). */
export function genesisSvm(): LiteSVM {
  const svm = createChainSvm();
  svm.setEpochSchedule(new EpochSchedule(BigInt(SLOTS_PER_EPOCH), BigInt(SLOTS_PER_EPOCH), false, 0n, 0n));
  return svm;
}

/** Applies recorded post-states; zero lamports removes the account, as litesvm does. */
export function applyWrites(raw: RawSvm, writes: readonly AccountWrite[]): void {
  for (const write of writes) {
    const address = decodeAddress(write.address);
    const owner = decodeAddress(write.owner);
    if (!address || !owner) throw new Error(`journal holds a bad address: ${write.address} / ${write.owner}`);
    const data = Buffer.from(write.data, 'base64');
    raw.setAccount(address, new Account(BigInt(write.lamports), data, owner, write.executable, U64_MAX));
  }
}

/** A ledger's state as rebuilt from disk. */
export interface RecoveredLedger {
  svm: LiteSVM;
  journal: Journal;
  history: TxHistory;
  snapshots: SnapshotStore;
  /** Sequence number of the last record. */
  seq: number;
  /** Records after the snapshot (replayed). */
  replayed: number;
  /** Bytes of torn tail cut from the journal. */
  cut: number;
  /** Slot and wall time of the latest record or snapshot (0 on a fresh chain). */
  lastSlot: number;
  lastTimeMs: number;
}

/** Rebuilds the ledger stored in `dataDir`. */
export function recoverLedger(dataDir: string, warn: (message: string) => void): RecoveredLedger {
  const paths = chainPaths(dataDir);
  const snapshots = new SnapshotStore(paths.snapshots);
  const snapshot = snapshots.current();
  let svm = genesisSvm();
  let base = 0;
  if (snapshot) {
    try {
      svm = LiteSVM.loadFromFile(snapshots.path(snapshot));
      base = snapshot.seq;
    } catch (error) {
      warn(`snapshot ${snapshot.file} unreadable (${(error as Error).message}); replaying the journal from genesis`);
    }
  }
  const raw = rawSvm(svm);
  const history = new TxHistory();
  let seq = 0;
  let replayed = 0;
  let lastSlot = snapshot?.slot ?? 0;
  let lastTimeMs = snapshot?.timeMs ?? 0;
  const { journal, cut } = Journal.open(paths.journal, (payload, at) => {
    const record = decodeRecord(payload);
    if (record.seq !== seq + 1) throw new Error(`journal is out of order: record ${record.seq} after ${seq}`);
    seq = record.seq;
    lastSlot = Math.max(lastSlot, record.slot);
    lastTimeMs = Math.max(lastTimeMs, record.timeMs);
    const tx = record.transaction;
    if (tx)
      history.add({ signature: tx.signature, slot: record.slot, timeMs: record.timeMs, err: tx.err, at }, tx.keys);
    if (record.seq > base) {
      applyWrites(raw, record.writes);
      replayed++;
    }
  });
  if (cut > 0) warn(`cut ${cut} bytes of torn journal tail (a crash mid-write; nothing acknowledged was lost)`);
  if (seq < base) {
    journal.close();
    throw new Error(`journal ends at record ${seq} but the snapshot covers ${base}: the journal lost durable records`);
  }
  // setAccount does not load programs into litesvm's program cache; a round trip through bytes rebuilds it.
  if (replayed > 0) svm = LiteSVM.fromBytes(svm.toBytes());
  return { svm, journal, history, snapshots, seq, replayed, cut, lastSlot, lastTimeMs };
}
