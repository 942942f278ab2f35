// A JSON-RPC test server that plays the Attention Oracle program's global-root path: it serves chosen program,
// ProtocolState and GlobalRootConfig states, applies publish_global_root as the program would (seq = latest + 1 or
// InvalidRootSeq), records every decoded transaction, keeps a history for getSignaturesForAddress/getTransaction,
// and injects faults (HTTP 500/429, unanswered requests, a send that lands but whose confirmation is lost).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base58Encode, equalBytes, readU64LE } from '@attention-oracle/core';
import {
  type AttentionOracleEvent,
  encodeGlobalRewardsClaimed,
  encodeGlobalRootConfig,
  encodeGlobalRootPublished,
  encodeProtocolState,
  findGlobalRootConfigPda,
  findProtocolStatePda,
  type GlobalRootConfig,
  INSTRUCTION_DISCRIMINATORS,
  type RootEntry,
} from '@attention-oracle/sdk';
import { PublicKey, Transaction } from '@solana/web3.js';

/** A publish_global_root transaction as the server decoded it. */
export interface SentPublish {
  readonly signature: string;
  readonly seq: bigint;
  readonly root: Uint8Array;
  readonly datasetHash: Uint8Array;
  /** The instruction's accounts, base58, in order. */
  readonly accounts: readonly { pubkey: string; isSigner: boolean; isWritable: boolean }[];
  readonly programId: string;
  readonly feePayer: string;
  /** Whether the program accepted it. */
  readonly landed: boolean;
}

/** A transaction in the program's history (newest last). */
export interface HistoryEntry {
  readonly signature: string;
  readonly slot: number;
  readonly err: unknown;
  readonly logs: string[];
  readonly accountKeys: string[];
  readonly blockTime: number;
}

/** What the next call of a method does instead of answering normally. */
export type Fault =
  | { readonly kind: 'http'; readonly status: number }
  /** Never answers (the client times out). For sendTransaction, the transaction is still applied. */
  | { readonly kind: 'hang' }
  /** sendTransaction only: applied, but its status is never reported and the block height jumps past its expiry. */
  | { readonly kind: 'lost-confirmation' }
  /** getTransaction only: the node does not have it yet (null). */
  | { readonly kind: 'null' };

const EMPTY: RootEntry = { seq: 0n, root: new Uint8Array(32), datasetHash: new Uint8Array(32), publishedSlot: 0n };
const PUBLISH = INSTRUCTION_DISCRIMINATORS.publish_global_root;

/** A running fake chain. Mutate its state between calls; `close()` when done. */
export class FakeChainServer {
  readonly programId: PublicKey;
  readonly mint: PublicKey;
  readonly publisher: PublicKey;
  url = '';
  /** Whether an executable account sits at the program id. */
  programDeployed = true;
  /** Null: the GlobalRootConfig account does not exist. */
  config: GlobalRootConfig | null;
  slot = 1000;
  blockHeight = 900;
  /** Every decoded sendTransaction, landed or refused (re-sends of a landed signature are not repeated here). */
  readonly sent: SentPublish[] = [];
  /** Every method called, in order. */
  readonly calls: string[] = [];
  readonly history: HistoryEntry[] = [];
  /** Called before a publish is applied: lets a test have someone else publish first. */
  beforePublish: (() => void) | undefined;
  /** What getAccountInfo answers at commitment 'finalized' (undefined: the same as `config`). */
  finalizedConfig: GlobalRootConfig | null | undefined;
  private readonly faults = new Map<string, (Fault | null)[]>();
  private readonly hidden = new Set<string>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;

  constructor(options: { programId?: PublicKey; mint: PublicKey; publisher: PublicKey; latest?: bigint | null }) {
    this.programId = options.programId ?? new PublicKey(new Uint8Array(32).fill(9));
    this.mint = options.mint;
    this.publisher = options.publisher;
    this.config = options.latest === null ? null : this.configAt(options.latest ?? 0n);
  }

  /** Starts listening on a free port. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server?.closeAllConnections(); // idle keep-alive sockets would hold close() for seconds
    await closed;
  }

  /** After `after` normal calls of `method`, the next `times` calls meet `fault`. */
  fail(method: string, fault: Fault, times = 1, after = 0): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < after; i++) queue.push(null);
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(method, queue);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** An empty GlobalRootConfig at `latest` (entries for earlier seqs are left empty). */
  configAt(latest: bigint): GlobalRootConfig {
    const { bump } = findGlobalRootConfigPda({ programId: this.programId, mint: this.mint });
    return { version: 1, bump, mint: this.mint, latestRootSeq: latest, roots: [EMPTY, EMPTY, EMPTY, EMPTY] };
  }

  /** Publishes as someone else: sets roots[seq % 4] and latest; with `history`, also a transaction with its event. */
  publishDirectly(seq: bigint, root: Uint8Array, datasetHash: Uint8Array, history = false): string {
    const slot = this.applyPublish(seq, root, datasetHash);
    const signature = base58Encode(Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + slot) % 256));
    const other = new PublicKey(new Uint8Array(32).fill(5));
    if (history) this.pushHistory(signature, slot, [this.publishedEvent(seq, root, datasetHash, other, slot)]);
    return signature;
  }

  /** Appends a transaction with these program events to the history, at the next slot (err: a failed one). */
  addHistory(
    signature: string,
    events: AttentionOracleEvent[],
    options: { err?: unknown; accountKeys?: string[] } = {},
  ): HistoryEntry {
    this.slot += 1;
    return this.pushHistory(signature, this.slot, events, options);
  }

  /** The GlobalRootPublished event of a publish at `slot`. */
  publishedEvent(seq: bigint, root: Uint8Array, datasetHash: Uint8Array, publisher: PublicKey, slot: number) {
    return {
      name: 'GlobalRootPublished' as const,
      data: { mint: this.mint, rootSeq: seq, root, datasetHash, publisher, slot: BigInt(slot) },
    };
  }

  private applyPublish(seq: bigint, root: Uint8Array, datasetHash: Uint8Array): number {
    const config = this.config ?? this.configAt(0n);
    const roots = [...config.roots] as [RootEntry, RootEntry, RootEntry, RootEntry];
    this.slot += 1;
    roots[Number(seq % 4n)] = { seq, root, datasetHash, publishedSlot: BigInt(this.slot) };
    this.config = { ...config, latestRootSeq: seq, roots };
    return this.slot;
  }

  private pushHistory(
    signature: string,
    slot: number,
    events: AttentionOracleEvent[],
    options: { err?: unknown; accountKeys?: string[] } = {},
  ): HistoryEntry {
    const program = this.programId.toBase58();
    const logs = [
      `Program ${program} invoke [1]`,
      ...events.map((e) => `Program data: ${Buffer.from(encodeEvent(e)).toString('base64')}`),
      `Program ${program} ${options.err ? 'failed: custom program error: 0x1770' : 'success'}`,
    ];
    const entry = {
      signature,
      slot,
      err: options.err ?? null,
      logs,
      accountKeys: options.accountKeys ?? [this.publisher.toBase58(), this.mint.toBase58(), program],
      blockTime: 1_700_000_000 + slot,
    };
    this.history.push(entry);
    return entry;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Request | Request[];
    const requests = Array.isArray(payload) ? payload : [payload];
    for (const request of requests) {
      this.calls.push(request.method);
      const fault = this.faults.get(request.method)?.shift() ?? undefined;
      if (fault?.kind === 'http') {
        res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('injected fault');
        return;
      }
      if (fault?.kind === 'hang') {
        if (request.method === 'sendTransaction') this.answer(request, undefined);
        this.hanging.add(res);
        return;
      }
      if (fault) (request as { fault?: Fault }).fault = fault;
    }
    const answers = requests.map((request) => this.answer(request, (request as { fault?: Fault }).fault));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(Array.isArray(payload) ? answers : answers[0]));
  }

  private answer(request: Request, fault: Fault | undefined): unknown {
    const { id, method, params = [] } = request;
    try {
      return { jsonrpc: '2.0', id, result: this.result(method, params, fault) };
    } catch (error) {
      const e = error as { code?: number; message: string; data?: unknown };
      return { jsonrpc: '2.0', id, error: { code: e.code ?? -32603, message: e.message, data: e.data } };
    }
  }

  private context() {
    return { context: { slot: this.slot, apiVersion: '2.0.0' } };
  }

  private result(method: string, params: unknown[], fault: Fault | undefined): unknown {
    switch (method) {
      case 'getAccountInfo': {
        const finalized = (params[1] as { commitment?: string } | undefined)?.commitment === 'finalized';
        return { ...this.context(), value: this.account(String(params[0]), finalized) };
      }
      case 'getLatestBlockhash':
        return {
          ...this.context(),
          value: {
            blockhash: base58Encode(Uint8Array.from({ length: 32 }, (_, i) => (i + this.blockHeight) % 256)),
            lastValidBlockHeight: this.blockHeight + 150,
          },
        };
      case 'getEpochInfo':
        return {
          absoluteSlot: this.slot,
          blockHeight: this.blockHeight,
          epoch: 1,
          slotIndex: 0,
          slotsInEpoch: 432000,
        };
      case 'getSignatureStatuses':
        return {
          ...this.context(),
          value: (params[0] as string[]).map((signature) => {
            const tx = this.hidden.has(signature) ? undefined : this.history.find((h) => h.signature === signature);
            return tx ? { slot: tx.slot, confirmations: null, err: tx.err, confirmationStatus: 'finalized' } : null;
          }),
        };
      case 'sendTransaction':
        return this.send(String(params[0]), fault);
      case 'getSignaturesForAddress':
        return this.signatures(String(params[0]), (params[1] ?? {}) as SignatureQuery);
      case 'getTransaction': {
        const tx = this.history.find((h) => h.signature === params[0]);
        if (fault?.kind === 'null' || tx === undefined) return null;
        return {
          slot: tx.slot,
          blockTime: tx.blockTime,
          version: 'legacy',
          transaction: { signatures: [tx.signature], message: { accountKeys: tx.accountKeys, instructions: [] } },
          meta: { err: tx.err, logMessages: tx.logs, loadedAddresses: { writable: [], readonly: [] } },
        };
      }
      default:
        throw Object.assign(new Error(`Method not found: ${method}`), { code: -32601 });
    }
  }

  private account(address: string, finalized: boolean) {
    const config = finalized && this.finalizedConfig !== undefined ? this.finalizedConfig : this.config;
    const base = { lamports: 1_000_000, rentEpoch: 0, space: 0 };
    if (address === this.programId.toBase58()) {
      return this.programDeployed
        ? { ...base, data: ['', 'base64'], executable: true, owner: 'BPFLoaderUpgradeab1e11111111111111111111111' }
        : null;
    }
    if (!this.programDeployed) return null;
    const configAddress = findGlobalRootConfigPda({ programId: this.programId, mint: this.mint }).address;
    if (address === configAddress.toBase58() && config !== null) {
      const data = Buffer.from(encodeGlobalRootConfig(config)).toString('base64');
      return { ...base, data: [data, 'base64'], executable: false, owner: this.programId.toBase58() };
    }
    const { address: protocol, bump } = findProtocolStatePda({ programId: this.programId });
    if (address === protocol.toBase58()) {
      const data = encodeProtocolState({
        isInitialized: true,
        version: 1,
        admin: this.publisher,
        publisher: this.publisher,
        treasury: this.publisher,
        oracleAuthority: this.publisher,
        mint: this.mint,
        paused: false,
        requireReceipt: false,
        bump,
      });
      return {
        ...base,
        data: [Buffer.from(data).toString('base64'), 'base64'],
        executable: false,
        owner: this.programId.toBase58(),
      };
    }
    return null;
  }

  private send(encoded: string, fault: Fault | undefined): string {
    const tx = Transaction.from(Buffer.from(encoded, 'base64'));
    const signature = base58Encode(tx.signature as Uint8Array);
    if (this.history.some((h) => h.signature === signature)) return signature; // a re-send: already processed
    const [ix] = tx.instructions;
    if (tx.instructions.length !== 1 || ix === undefined || !equalBytes(ix.data.subarray(0, 8), PUBLISH)) {
      throw Object.assign(new Error('fake chain: only publish_global_root is served'), { code: -32602 });
    }
    if (!tx.verifySignatures())
      throw Object.assign(new Error('Transaction signature verification failure'), { code: -32003 });
    const seq = readU64LE(ix.data, 8);
    const root = Uint8Array.from(ix.data.subarray(16, 48));
    const datasetHash = Uint8Array.from(ix.data.subarray(48, 80));
    this.beforePublish?.();
    const latest = this.config?.latestRootSeq ?? 0n;
    const landed = this.config !== null && seq === latest + 1n && ix.programId.equals(this.programId);
    this.sent.push({
      signature,
      seq,
      root,
      datasetHash,
      accounts: ix.keys.map((k) => ({ pubkey: k.pubkey.toBase58(), isSigner: k.isSigner, isWritable: k.isWritable })),
      programId: ix.programId.toBase58(),
      feePayer: tx.feePayer?.toBase58() ?? '',
      landed,
    });
    if (!landed) {
      const code = this.config === null ? 6052 : 6006;
      throw Object.assign(new Error(`Transaction simulation failed: custom program error: 0x${code.toString(16)}`), {
        code: -32002,
        data: { err: { InstructionError: [0, { Custom: code }] }, logs: [] },
      });
    }
    const payer = tx.feePayer ?? this.publisher;
    const slot = this.applyPublish(seq, root, datasetHash);
    this.pushHistory(signature, slot, [this.publishedEvent(seq, root, datasetHash, payer, slot)], {
      accountKeys: tx.compileMessage().accountKeys.map((k) => k.toBase58()),
    });
    if (fault?.kind === 'lost-confirmation') {
      this.hidden.add(signature);
      this.blockHeight += 1000;
    }
    return signature;
  }

  /** Reveals a signature hidden by a lost confirmation. */
  reveal(signature: string): void {
    this.hidden.delete(signature);
  }

  private signatures(address: string, query: SignatureQuery) {
    if (address !== this.programId.toBase58()) return [];
    const newestFirst = [...this.history].reverse();
    let start = 0;
    if (query.before) start = newestFirst.findIndex((h) => h.signature === query.before) + 1;
    const out = [];
    for (let i = start; i < newestFirst.length && out.length < (query.limit ?? 1000); i++) {
      const h = newestFirst[i] as HistoryEntry;
      if (h.signature === query.until) break;
      out.push({ signature: h.signature, slot: h.slot, err: h.err, memo: null, blockTime: h.blockTime });
    }
    return out;
  }
}

interface Request {
  id: number;
  method: string;
  params?: unknown[];
}

interface SignatureQuery {
  limit?: number;
  before?: string;
  until?: string;
}

function encodeEvent(event: AttentionOracleEvent): Uint8Array {
  return event.name === 'GlobalRootPublished'
    ? encodeGlobalRootPublished(event.data)
    : encodeGlobalRewardsClaimed(event.data);
}
