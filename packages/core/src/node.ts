// Node-only additions to the core library: the parallel tree builder (worker threads, shared memory).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvariantError, requireArgument } from './errors.js';
import { createBulkKeccak } from './fast-keccak.js';
import type { TreeBuilder } from './merkle/builder.js';
import { buildInThread, hashParentRange, type TreeJob } from './merkle/levels.js';
import type { WorkerTask } from './merkle/tree-worker.js';

/** A tree builder that owns worker threads: call `close()` when done with it. */
export interface ParallelTreeBuilder extends TreeBuilder {
  readonly threads: number;
  close(): Promise<void>;
}

// Below this many leaves, posting work to threads costs more than it saves.
const PARALLEL_MIN_LEAVES = 4096;

/**
 * A builder that hashes leaves and subtrees on `threads` worker threads (default: one per core) in shared memory,
 * then the few top levels in the calling thread. Its trees are byte-identical to the in-thread builder's.
 *
 * @example const builder = await createParallelTreeBuilder(); const tree = await buildGlobalRootTree(input, builder);
 */
export async function createParallelTreeBuilder(options: { threads?: number } = {}): Promise<ParallelTreeBuilder> {
  const threads = options.threads ?? availableParallelism();
  requireArgument(Number.isInteger(threads) && threads >= 1 && threads <= 64, `threads must be 1..64, got ${threads}`);
  const keccak = await createBulkKeccak();
  const workers = await Promise.all(Array.from({ length: threads }, startWorker));
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function run(job: TreeJob) {
    requireArgument(!closed, 'this tree builder is closed');
    const { layout, nodes, leaves } = job;
    if (layout.leafCount < PARALLEL_MIN_LEAVES) return buildInThread(job, keccak);
    requireArgument(nodes.buffer instanceof SharedArrayBuffer, 'allocate tree memory with this builder');
    // Chunks of 2^topLevel leaves, about eight per thread, dealt out in turn so the threads finish together.
    const topLevel = Math.min(layout.depth, Math.max(0, Math.floor(Math.log2(layout.leafCount / (threads * 8)))));
    const chunk = 2 ** topLevel;
    const tasks: WorkerTask[] = workers.map(() => ({ layout, nodes, leaves, chunks: [], topLevel }));
    for (let from = 0, c = 0; from < layout.leafCount; from += chunk, c++) {
      tasks[c % threads]?.chunks.push([from, Math.min(from + chunk, layout.leafCount)]);
    }
    await Promise.all(workers.map((worker, i) => worker.run(tasks[i] as WorkerTask)));
    for (let level = topLevel + 1; level <= layout.depth; level++) {
      hashParentRange(nodes, layout, level, 0, layout.sizes[level] as number, keccak);
    }
  }

  return {
    threads,
    allocate: (byteLength) => new Uint8Array(new SharedArrayBuffer(byteLength)),
    build(job) {
      const result = queue.then(() => run(job));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

interface TreeWorker {
  run(task: WorkerTask): Promise<void>;
  terminate(): Promise<void>;
}

async function startWorker(): Promise<TreeWorker> {
  // Node 20 cannot load TypeScript in worker threads, so from source (tests, benchmarks) the worker runs from the
  // package's build, which `pnpm test` and `pnpm bench:*` make first.
  const url = new URL(
    import.meta.url.endsWith('.ts') ? '../dist/merkle/tree-worker.js' : './merkle/tree-worker.js',
    import.meta.url,
  );
  if (!existsSync(url))
    throw new InvariantError(`tree worker ${fileURLToPath(url)} is missing: run \`pnpm build\` first`);
  const worker = new Worker(url);
  let pending: { resolve: () => void; reject: (error: Error) => void } | undefined;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    pending?.reject(failure);
    pending = undefined;
  };
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.on('message', (reply: { ok: boolean; error?: string }) => {
    const settle = pending;
    pending = undefined;
    worker.unref();
    if (reply.ok) settle?.resolve();
    else settle?.reject(new InvariantError(`tree worker failed: ${reply.error}`));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new InvariantError(`tree worker exited with code ${code}`)));
  worker.unref();
  return {
    run(task) {
      if (failure) return Promise.reject(failure);
      worker.ref(); // a build in flight keeps the process alive; an idle builder does not
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(task);
      });
    },
    async terminate() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
