// The local chain as `start` runs it: the persistent ledger, its RPC endpoint, and the bootstrapped mint and roles.
import { type BootstrapOptions, bootstrapLocalChain, type LocalChainAccounts } from './bootstrap.js';
import type { LocalLedger } from './ledger.js';
import { openLedger } from './open-ledger.js';
import { type RpcServer, startRpcServer } from './rpc/http-server.js';

/** Options of startLocalChain. */
export interface LocalChainOptions {
  /** The chain's own folder (journal, snapshots, keys). */
  dataDir: string;
  /** HTTP port (websockets also on port + 1); 0 or absent picks free ports. */
  port?: number;
  host?: string;
  /** Milliseconds per slot (default 400). */
  slotMs?: number;
  /** Snapshot after this many journal records (default 5,000). */
  snapshotEveryRecords?: number;
  /**
   * Create the mint, treasury, role keys and the local program (default true); options or false. A chain without the
   * program (direct settlement): `bootstrap: { program: false }`.
   */
  bootstrap?: BootstrapOptions | false;
  warn?: (message: string) => void;
}

/** A running local chain. */
export interface LocalChain {
  url: string;
  wsUrl: string;
  ledger: LocalLedger;
  /** Undefined when bootstrapping was turned off. */
  accounts: LocalChainAccounts | undefined;
  /** Stops serving, then closes the ledger (final snapshot). */
  stop(): Promise<void>;
}

/**
 * Opens the ledger in `dataDir`, serves it over JSON-RPC and bootstraps it (idempotently), deploying the local
 * Attention Oracle program through the ledger unless `bootstrap.program` is false.
 *
 * @example
 * const chain = await startLocalChain({ dataDir: '.data/chain', port: 8899 });
 * console.log(chain.url, chain.accounts?.programId?.toBase58());
 */
export async function startLocalChain(options: LocalChainOptions): Promise<LocalChain> {
  const { dataDir, slotMs, snapshotEveryRecords, warn } = options;
  const ledger = openLedger({ dataDir, slotMs, snapshotEveryRecords, warn });
  let server: RpcServer | undefined;
  try {
    server = await startRpcServer({ ledger, port: options.port, host: options.host });
    const accounts =
      options.bootstrap === false
        ? undefined
        : await bootstrapLocalChain(server.url, options.dataDir, {
            ...options.bootstrap,
            deploy: (programId, elf) => ledger.addProgram(programId.toBase58(), elf),
          });
    const running = server;
    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      wsUrl: server.wsUrl,
      ledger,
      accounts,
      stop() {
        stopping ??= running.close().then(() => ledger.close());
        return stopping;
      },
    };
  } catch (error) {
    await server?.close();
    await ledger.close();
    throw error;
  }
}
