// Baseline worker for bench:tree: the same bulk hasher the tree builder uses, over fixed-size inputs, nothing else.
import { parentPort } from 'node:worker_threads';
import { createBulkKeccak } from '@attention-oracle/core';

const keccak = await createBulkKeccak();
parentPort.on('message', ({ input, stride, from, to, out }) => {
  for (let i = from; i < to; i++) keccak.hashInto(input.subarray(i * stride, i * stride + stride), out, i * 32);
  parentPort.postMessage('done');
});
parentPort.postMessage('ready');
