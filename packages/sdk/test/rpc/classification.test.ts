// Each fault class against a two-endpoint pool: retryable faults fail over and succeed, final ones are thrown at once
// as a typed RpcError, sent exactly once and never to the second endpoint.
import { describe, expect, it } from 'vitest';
import { classifyJsonRpcError } from '../../src/rpc/classify-internal.js';
import { createRpcClient } from '../../src/rpc/rpc-client.js';
import { RpcError, type RpcErrorKind } from '../../src/rpc/rpc-error.js';
import type { Fault } from './fault-server.js';
import { useFaultServers } from './servers.js';

const start = useFaultServers();

async function pair() {
  const [a, b] = await start(2);
  if (!a || !b) throw new Error('servers did not start');
  for (const server of [a, b]) server.answer('sendTransaction', { result: 'sig' });
  const rpc = createRpcClient({ urls: [a.url, b.url], timeoutMs: 300, backoffBaseMs: 1 });
  return { a, b, rpc };
}

const retryable: [string, Fault, RpcErrorKind][] = [
  ['a timeout', { kind: 'timeout' }, 'timeout'],
  ['HTTP 429', { kind: 'status', status: 429 }, 'rate-limited'],
  ['HTTP 500', { kind: 'status', status: 500 }, 'server'],
  ['HTTP 503', { kind: 'status', status: 503 }, 'server'],
  ['a dropped connection', { kind: 'drop' }, 'network'],
  ['a body that is not JSON', { kind: 'malformed' }, 'malformed-response'],
  ['JSON that is not JSON-RPC', { kind: 'malformed', body: '{"hello":1}' }, 'malformed-response'],
  ['Blockhash not found', { kind: 'blockhash-not-found' }, 'blockhash-not-found'],
  [
    '-32005 node unhealthy',
    { kind: 'rpc-error', code: -32005, message: 'Node is behind by 42 slots' },
    'node-unhealthy',
  ],
  ['-32016 min context slot', { kind: 'rpc-error', code: -32016, message: 'Minimum context slot' }, 'node-unhealthy'],
  ['-32603 internal error', { kind: 'rpc-error', code: -32603, message: 'Internal error' }, 'server'],
  ['a rate limit inside JSON-RPC', { kind: 'rpc-error', code: 429, message: 'Too many requests' }, 'rate-limited'],
];

const simulationFailure = {
  err: { InstructionError: [0, { Custom: 6004 }] },
  logs: ['Program log: AnchorError occurred. Error Code: InvalidProof.'],
};
const final: [string, Fault, Partial<RpcError>][] = [
  [
    '-32602 invalid params',
    { kind: 'rpc-error', code: -32602, message: 'Invalid params: bad encoding' },
    { kind: 'invalid-request', code: -32602 },
  ],
  ['-32601 method not found', { kind: 'rpc-error', code: -32601, message: 'Method not found' }, { code: -32601 }],
  [
    'a failed simulation',
    { kind: 'rpc-error', code: -32002, message: 'Transaction simulation failed', data: simulationFailure },
    { kind: 'transaction', code: -32002, data: simulationFailure },
  ],
  [
    'a bad signature',
    { kind: 'rpc-error', code: -32003, message: 'Transaction signature verification failure' },
    { kind: 'transaction', code: -32003 },
  ],
  ['-32007 slot skipped', { kind: 'rpc-error', code: -32007, message: 'Slot 5 was skipped' }, { kind: 'rpc' }],
  ['HTTP 400', { kind: 'status', status: 400 }, { kind: 'http', httpStatus: 400, code: undefined }],
  ['HTTP 401', { kind: 'status', status: 401 }, { kind: 'http', httpStatus: 401 }],
  ['HTTP 404', { kind: 'status', status: 404 }, { kind: 'http', httpStatus: 404 }],
];

describe('retryable failures', () => {
  it.each(retryable)('fails over after %s', async (_name, fault, kind) => {
    const { a, b, rpc } = await pair();
    a.inject(fault);
    expect(await rpc.call('sendTransaction', ['AQ=='])).toBe('sig');
    expect([a.requests.length, b.requests.length]).toEqual([1, 1]);
    const [ma, mb] = rpc.metrics().endpoints;
    expect(ma?.errors[kind]).toBe(1);
    expect(ma?.lastError?.kind).toBe(kind);
    expect(mb?.retries).toBe(1);
  });

  it('throws the last failure, marked retryable, when every attempt failed', async () => {
    const { a, b, rpc } = await pair();
    for (const server of [a, b]) server.inject({ kind: 'rpc-error', code: -32005, message: 'unhealthy' }, { times: 9 });
    const error = await rpc.call('sendTransaction', ['AQ==']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ kind: 'node-unhealthy', retryable: true, code: -32005, attempts: 4 });
    expect(a.requests.length + b.requests.length).toBe(4);
  });

  it('stops waiting when the caller aborts', async () => {
    const { a, rpc } = await pair();
    a.inject({ kind: 'timeout' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rpc.call('getSlot', [], { signal: controller.signal, timeoutMs: 5_000 }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'aborted', retryable: false });
  });
});

describe('final failures', () => {
  it.each(final)('throws %s at once, sent exactly once', async (_name, fault, expected) => {
    const { a, b, rpc } = await pair();
    a.inject(fault);
    const error = await rpc.call('sendTransaction', ['AQ==']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ ...expected, retryable: false, endpoint: a.url, method: 'sendTransaction' });
    expect((error as RpcError).attempts).toBe(1);
    expect([a.requests.length, b.requests.length]).toEqual([1, 0]);
  });
});

describe('classifyJsonRpcError', () => {
  it.each([
    [-32002, 'Transaction simulation failed: Blockhash not found', 'blockhash-not-found'],
    [-32005, 'Node is unhealthy', 'node-unhealthy'],
    [-32004, 'Block not available for slot 9', 'node-unhealthy'],
    [-32014, 'Block status not yet available', 'node-unhealthy'],
    [-32603, 'Internal error', 'server'],
    [-32002, 'Transaction simulation failed: Error processing Instruction 0', 'transaction'],
    [-32015, 'Transaction version (1) is not supported', 'transaction'],
    [-32602, 'Invalid params', 'invalid-request'],
    [-32700, 'Parse error', 'invalid-request'],
    [-32001, 'Block 5 cleaned up', 'rpc'],
    [-32009, 'Slot 5 was skipped, or missing in long-term storage', 'rpc'],
  ] as const)('%i %s -> %s', (code, message, kind) => {
    expect(classifyJsonRpcError({ code, message })).toBe(kind);
  });
});
