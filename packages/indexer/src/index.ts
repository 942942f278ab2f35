// The indexer's library surface (the CLI in cli.ts is its command line).

export * from './chain/index.js';
export * from './channels/channels.js';
export { watchExclusions } from './channels/exclusions.js';
export * from './chat/index.js';
export { type Collector, type CollectorOptions, startCollector } from './collector/collector.js';
export { type IndexerEnv, loadEnv, parsePolicyParams } from './env.js';
export * from './epochs/index.js';
export * from './jobs/index.js';
export { startWorkers, type WorkerOptions } from './worker.js';
