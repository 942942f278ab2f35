// chain-watch: the program's events from a resumable cursor, and the finality of published roots.
export { type ChainCursor, readCursor, saveCursor } from './cursor.js';
export { markFinalizedRoots } from './finality.js';
export { fetchTransactions, type SignatureInfo, signaturesSince, type TransactionInfo } from './history.js';
export { type RecordedEvents, recordTransaction } from './record.js';
export { type WatchChainOptions, type WatchChainResult, watchChain } from './watch.js';
