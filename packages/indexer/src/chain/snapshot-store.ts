// Snapshots of the whole litesvm state (litesvm's own saveToFile), so a restart replays only the journal records
// written after the latest one. A snapshot becomes current only through an atomic rename of its manifest, after the
// snapshot file itself is fsynced: a crash at any point leaves the previous snapshot in force.
import {
  chmodSync,
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { LiteSVM } from 'litesvm';

/** What a snapshot covers: the journal records up to `seq` and the slot and time it was taken at. */
export interface SnapshotMeta {
  file: string;
  seq: number;
  slot: number;
  timeMs: number;
}

const MANIFEST = 'snapshot.json';

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The snapshot folder of a local chain. */
export class SnapshotStore {
  constructor(private readonly dir: string) {}

  /** The current snapshot, or undefined on a chain that never took one. */
  current(): SnapshotMeta | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, MANIFEST), 'utf8')) as SnapshotMeta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** The path of a snapshot's state file. */
  path(meta: SnapshotMeta): string {
    return join(this.dir, meta.file);
  }

  /**
   * Writes `svm`'s state as the snapshot after record `seq` and makes it current. The caller guarantees every record
   * up to `seq` is durable in the journal and nothing after it is in the state.
   */
  save(svm: LiteSVM, meta: Omit<SnapshotMeta, 'file'>): SnapshotMeta {
    const file = `state-${String(meta.seq).padStart(12, '0')}.litesvm`;
    const tmp = join(this.dir, `${file}.tmp`);
    svm.saveToFile(tmp);
    chmodSync(tmp, 0o600);
    fsyncPath(tmp);
    renameSync(tmp, join(this.dir, file));
    const full: SnapshotMeta = { file, ...meta };
    const manifestTmp = join(this.dir, `${MANIFEST}.tmp`);
    writeFileSync(manifestTmp, JSON.stringify(full), { mode: 0o600 });
    fsyncPath(manifestTmp);
    renameSync(manifestTmp, join(this.dir, MANIFEST));
    fsyncPath(this.dir);
    this.#removeAllBut(file);
    return full;
  }

  #removeAllBut(keep: string): void {
    for (const name of readdirSync(this.dir)) {
      if (name.startsWith('state-') && name !== keep) rmSync(join(this.dir, name), { force: true });
    }
  }
}
