// The local chain's data folder: its identity (the seed blockhashes and the faucet derive from), a lock so two
// processes never write one journal, the journal and the snapshots.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** File locations inside a chain data folder. */
export function chainPaths(dataDir: string) {
  return {
    identity: join(dataDir, 'chain.json'),
    lock: join(dataDir, 'chain.lock'),
    journal: join(dataDir, 'journal.log'),
    snapshots: join(dataDir, 'snapshots'),
    keys: join(dataDir, 'keys'),
  };
}

/** A chain's permanent identity. */
export interface ChainIdentity {
  version: 1;
  /** Hex; blockhashes are sha256(seed || slot), the faucet key derives from it. */
  seed: string;
  createdAt: string;
}

/** Writes `text` to `path` atomically and durably (temp file, fsync, rename). */
export function writeFileDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Reads the folder's identity, creating it on a fresh folder. `fresh` tells which. */
export function loadIdentity(dataDir: string): { identity: ChainIdentity; fresh: boolean } {
  const { identity: path, snapshots } = chainPaths(dataDir);
  mkdirSync(snapshots, { recursive: true, mode: 0o700 });
  try {
    return { identity: JSON.parse(readFileSync(path, 'utf8')) as ChainIdentity, fresh: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const identity: ChainIdentity = {
    version: 1,
    seed: randomBytes(32).toString('hex'),
    createdAt: new Date().toISOString(),
  };
  writeFileDurably(path, JSON.stringify(identity, null, 2));
  return { identity, fresh: true };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the folder's lock; a lock left by a dead process (kill -9) is taken over. Returns the release function.
 * Throws when a live process (this one included) holds it.
 */
export function lockDataDir(dataDir: string): () => void {
  const { lock } = chainPaths(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new Error(`local chain data folder ${dataDir} is in use by process ${holder}`);
      }
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`could not lock local chain data folder ${dataDir}`);
}
