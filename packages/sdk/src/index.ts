// The public surface of @attention-oracle/sdk (browser-safe): the Attention Oracle program client and the RPC client.
export * from './program/index.js';
export {
  createRpcClient,
  type RpcBatchRequest,
  type RpcBatchResult,
  type RpcCallOptions,
  type RpcClient,
  type RpcClientOptions,
  type RpcConnectionConfig,
} from './rpc/rpc-client.js';
export { isRetryableRpcErrorKind, RpcError, type RpcErrorContext, type RpcErrorKind } from './rpc/rpc-error.js';
export {
  RPC_LATENCY_BUCKETS_MS,
  type RpcClientMetrics,
  type RpcEndpointMetrics,
  type RpcLastError,
  type RpcLatencyHistogram,
} from './rpc/rpc-metrics.js';
export {
  type SendAndConfirmOptions,
  type SendAndConfirmResult,
  type SignedTransaction,
  sendAndConfirm,
} from './rpc/send-and-confirm.js';
export { TokenBucket } from './rpc/token-bucket.js';
export {
  BlockhashExpiredError,
  TransactionFailedError,
  type TransactionFailureStage,
} from './rpc/transaction-errors.js';
