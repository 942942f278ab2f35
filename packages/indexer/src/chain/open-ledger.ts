// Opening a ledger: lock the data folder, rebuild the state (snapshot + journal), resume the clock, and on a fresh
// chain fund the faucet as the journal's first record.

import { loadIdentity, lockDataDir } from './data-dir.js';
import { deriveFaucet, FAUCET_LAMPORTS } from './faucet.js';
import { LocalLedger } from './ledger.js';
import { recoverLedger } from './ledger-recovery.js';
import { LedgerWriter } from './ledger-writer.js';
import { SlotClock } from './slot-clock.js';

/** How a ledger is opened. */
export interface LedgerOptions {
  dataDir: string;
  /** Milliseconds per slot (default 400); 0 stops the clock, which then moves only with `warp`. */
  slotMs?: number;
  /** Snapshot after this many records (default 5,000) ... */
  snapshotEveryRecords?: number;
  /** ... or this often while records arrive (default 60 s). */
  snapshotEveryMs?: number;
  /** Where recovery notes go (default console.warn). */
  warn?: (message: string) => void;
}

/** Opens the ledger in `options.dataDir`, recovering whatever a previous process left, even after kill -9. */
export function openLedger(options: LedgerOptions): LocalLedger {
  const slotMs = options.slotMs ?? 400;
  const warn = options.warn ?? ((message: string) => console.warn(`[local-chain] ${message}`));
  const release = lockDataDir(options.dataDir);
  try {
    const { identity } = loadIdentity(options.dataDir);
    const seed = Buffer.from(identity.seed, 'hex');
    const state = recoverLedger(options.dataDir, warn);
    // A restarted chain resumes as if its slots had kept ticking, so blockhashes age across downtime as on Solana.
    const missed = slotMs > 0 && state.lastTimeMs > 0 ? Math.floor((Date.now() - state.lastTimeMs) / slotMs) : 0;
    const clock = new SlotClock(seed, state.seq === 0 ? 1 : state.lastSlot + Math.max(1, missed));
    const writer = new LedgerWriter(
      state.svm,
      state.history,
      state.journal,
      state.snapshots,
      state.seq,
      () => clock.slot,
      {
        everyRecords: options.snapshotEveryRecords ?? 5000,
        everyMs: options.snapshotEveryMs ?? 60_000,
        warn,
      },
    );
    const faucet = deriveFaucet(seed);
    const ledger = new LocalLedger(state.svm, clock, writer, faucet, release);
    if (state.seq === 0) {
      const system = '11111111111111111111111111111111';
      ledger.setAccounts(
        [{ address: faucet.address, lamports: FAUCET_LAMPORTS.toString(), owner: system, executable: false, data: '' }],
        'genesis',
      );
    }
    if (slotMs > 0) clock.start(slotMs);
    return ledger;
  } catch (error) {
    release();
    throw error;
  }
}
