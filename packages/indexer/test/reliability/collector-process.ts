// The parent's side of test/fixtures/collector-child.ts: spawns it the way workspace TS runs, collects its ACKs and
// status lines, sends it commands, and kills it with SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CollectorChildOptions } from '../fixtures/collector-child.js';

const script = fileURLToPath(new URL('../fixtures/collector-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The flusher counters a child reports when it stops. */
export interface ChildStats {
  flushed: number;
  inserted: number;
  late: number;
  damaged: number;
  errors: number;
  backlog: number;
}

/** One collector process. Every process started is tracked so a failed test can still kill it. */
export class CollectorProcess {
  static readonly running = new Set<CollectorProcess>();
  /** Event ids in the order the child acknowledged them. */
  readonly acked: string[] = [];
  readonly ackedIds = new Set<string>();
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #closed: Promise<void>;
  readonly #waiters = new Set<() => void>();
  #stdout = '';
  #stderr = '';
  #gone = false;

  private constructor(options: CollectorChildOptions) {
    this.#child = spawn(
      process.execPath,
      ['--conditions=@attention-oracle/source', '--import', 'tsx', script, JSON.stringify(options)],
      { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.#child.stdout?.on('data', (chunk: Buffer) => this.#read(chunk.toString()));
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
    // 'close' comes after 'exit' and after stdout ended: every ACK the child wrote has been read by then.
    this.#closed = new Promise((resolve) => {
      this.#child.once('close', () => {
        this.#gone = true;
        CollectorProcess.running.delete(this);
        this.#notify();
        resolve();
      });
    });
    CollectorProcess.running.add(this);
  }

  static start(options: CollectorChildOptions): CollectorProcess {
    return new CollectorProcess(options);
  }

  /** SIGKILLs every child still running (for afterEach). */
  static async killAll(): Promise<void> {
    await Promise.all([...CollectorProcess.running].map((child) => child.kill()));
  }

  /** What the child wrote to stderr so far (collector errors, a crash). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Waits until the child's collector runs and every channel is joined. */
  async ready(timeoutMs = 60_000): Promise<void> {
    await this.line('READY', timeoutMs);
  }

  /** The first status line starting with `prefix` (already received or still to come). */
  async line(prefix: string, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.#lines.find((line) => line === prefix || line.startsWith(`${prefix} `));
      if (found !== undefined) return found;
      if (this.#gone) throw new Error(`collector child exited before ${prefix}:\n${this.#stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${prefix} from the collector child:\n${this.#stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, left);
        const waiters = this.#waiters;
        function wake() {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
        waiters.add(wake);
      });
    }
  }

  /** Writes one command line to the child's stdin. */
  command(command: 'hold' | 'drain' | 'stop'): void {
    this.#child.stdin?.write(`${command}\n`);
  }

  /** Stops the child cleanly (it drains what it can) and returns its final stats once it has exited. */
  async stop(timeoutMs = 60_000): Promise<ChildStats> {
    this.command('stop');
    const stopped = await this.line('STOPPED', timeoutMs);
    await this.#closed;
    if (this.#child.exitCode !== 0) throw new Error(`collector child exited with ${this.#child.exitCode}`);
    return JSON.parse(stopped.slice('STOPPED '.length)) as ChildStats;
  }

  /** SIGKILL: nothing in the child runs after it. Resolves once its output has been read to the end. */
  async kill(): Promise<void> {
    if (!this.#gone) this.#child.kill('SIGKILL');
    await this.#closed;
  }

  #read(text: string): void {
    this.#stdout += text;
    const lines = this.#stdout.split('\n');
    this.#stdout = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('ACK ')) {
        const id = line.slice(4);
        this.acked.push(id);
        this.ackedIds.add(id);
      } else if (line !== '') this.#lines.push(line);
    }
    this.#notify();
  }

  #notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
