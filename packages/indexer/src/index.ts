// The indexer's library surface (the CLI in cli.ts is its command line).

export * from './admin/index.js';
export { type Alarm, type AlarmName, activeAlarms, clearAlarm, raiseAlarm } from './alarms.js';
export { audit } from './audit.js';
export * from './chain/index.js';
export {
  type ChainContext,
  type ChainContextOptions,
  directSettlementNote,
  resolveChainContext,
} from './chain-context.js';
export * from './chain-watch/index.js';
export { type ChainWorkerOptions, startChainWorkers } from './chain-workers.js';
export * from './channels/channels.js';
export { watchExclusions } from './channels/exclusions.js';
export * from './chat/index.js';
export { type Collector, type CollectorOptions, startCollector } from './collector/collector.js';
export { commaList, type IndexerEnv, loadEnv, parsePolicyParams } from './env.js';
export * from './epochs/index.js';
export * from './jobs/index.js';
export * from './ledger/index.js';
export * from './roots/index.js';
export * from './settlement/index.js';
export { startWorkers, type WorkerOptions } from './worker.js';
