// A worker thread of the parallel tree builder: hashes the chunks of a tree it is given, in shared memory.
import { parentPort } from 'node:worker_threads';
import { createBulkKeccak } from '../fast-keccak.js';
import type { TreeLayout } from './layout.js';
import { type GlobalLeafInput, hashLeafRange, hashSubtree } from './levels.js';

/** One worker's share of a build: leaf ranges whose subtrees it hashes up to `topLevel`. */
export interface WorkerTask {
  layout: TreeLayout;
  nodes: Uint8Array;
  leaves?: GlobalLeafInput;
  chunks: [from: number, to: number][];
  topLevel: number;
}

const port = parentPort;
if (!port) throw new Error('tree-worker must run as a worker thread');
const keccak = await createBulkKeccak();
port.on('message', (task: WorkerTask) => {
  try {
    for (const [from, to] of task.chunks) {
      if (task.leaves) hashLeafRange(task.nodes, task.leaves, from, to, keccak);
      hashSubtree(task.nodes, task.layout, from, to, task.topLevel, keccak);
    }
    port.postMessage({ ok: true });
  } catch (error) {
    port.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
port.postMessage({ ready: true });
