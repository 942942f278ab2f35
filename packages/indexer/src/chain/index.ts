// The local chain: a persistent Solana JSON-RPC endpoint over litesvm, for development, tests and the demo.
export {
  type BootstrapOptions,
  bootstrapLocalChain,
  LOCAL_MINT,
  type LocalChainAccounts,
  localChainKeyPaths,
} from './bootstrap.js';
export { chainPaths } from './data-dir.js';
export { messageFee } from './fees.js';
export { loadOrCreateKeypair, readKeypairFile } from './keypair-file.js';
export type { LocalLedger, SendResult, SimulateOptions } from './ledger.js';
export type { LedgerView } from './ledger-view.js';
export type { StoredTransaction } from './ledger-writer.js';
export { type LocalChain, type LocalChainOptions, startLocalChain } from './local-chain.js';
export { type DeployProgram, LOCAL_PROGRAM_PATH, type LocalProgramOptions } from './local-program.js';
export { type LedgerOptions, openLedger } from './open-ledger.js';
export { rpcMethods } from './rpc/dispatch.js';
export { type RpcServer, type RpcServerOptions, startRpcServer } from './rpc/http-server.js';
