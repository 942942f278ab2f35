// The parent's side of fixtures/chain-child.ts: starts it the way workspace TypeScript runs and kills it with SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./fixtures/chain-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** What the child prints once it serves. */
export interface ChildInfo {
  url: string;
  mint: string;
  authorityKey: string;
}

/** A local chain running in a child process. */
export class ChainProcess {
  static readonly running = new Set<ChainProcess>();
  stderr = '';
  readonly #closed: Promise<void>;

  private constructor(
    readonly child: ChildProcess,
    readonly info: ChildInfo,
    closed: Promise<void>,
  ) {
    this.#closed = closed;
    ChainProcess.running.add(this);
  }

  /** Starts a child on `dataDir` and waits (generously: tsx compiles on a 2-core box) until it serves. */
  static start(dataDir: string, snapshotEveryRecords = 5000): Promise<ChainProcess> {
    const child = spawn(
      process.execPath,
      ['--conditions=@attention-oracle/source', '--import', 'tsx', script, dataDir, String(snapshotEveryRecords)],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    return new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`chain child did not start: ${stderr}`)), 120_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n')[0];
        if (stdout.includes('\n') && line) {
          clearTimeout(timer);
          const process = new ChainProcess(child, JSON.parse(line) as ChildInfo, closed);
          child.stderr?.on('data', (c: Buffer) => {
            process.stderr += c.toString();
          });
          resolve(process);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`chain child exited with ${code}: ${stderr}`));
      });
    });
  }

  /** SIGKILL, then wait until the process is gone. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.#closed;
    ChainProcess.running.delete(this);
  }

  /** SIGKILLs every child still running (afterEach). */
  static async killAll(): Promise<void> {
    await Promise.all([...ChainProcess.running].map((p) => p.kill()));
  }
}
