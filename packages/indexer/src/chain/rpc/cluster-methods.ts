// Cluster state: slots, blockhashes, epochs, version, health, genesis hash. Block height equals slot on this chain.
import { SLOTS_PER_EPOCH } from '../ledger-recovery.js';
import { checkMinContextSlot, configAt, type RpcMethod, rpcContext, stringAt } from './params.js';

const withSlot =
  (read: (slot: number) => unknown): RpcMethod =>
  (params, { ledger }) => {
    checkMinContextSlot(configAt(params, 0), ledger.slot);
    return read(ledger.slot);
  };

const getLatestBlockhash: RpcMethod = (params, { ledger }) => {
  checkMinContextSlot(configAt(params, 0), ledger.slot);
  return { context: rpcContext(ledger.slot), value: ledger.latestBlockhash() };
};

const isBlockhashValid: RpcMethod = (params, { ledger }) => {
  const blockhash = stringAt(params, 0, 'blockhash');
  checkMinContextSlot(configAt(params, 1), ledger.slot);
  return { context: rpcContext(ledger.slot), value: ledger.isBlockhashValid(blockhash) };
};

const getEpochInfo: RpcMethod = (params, { ledger }) => {
  checkMinContextSlot(configAt(params, 0), ledger.slot);
  const slot = ledger.slot;
  return {
    absoluteSlot: slot,
    blockHeight: slot,
    epoch: Math.floor(slot / SLOTS_PER_EPOCH),
    slotIndex: slot % SLOTS_PER_EPOCH,
    slotsInEpoch: SLOTS_PER_EPOCH,
    transactionCount: ledger.transactionCount,
  };
};

/** The cluster-state methods by name. */
export const clusterMethods: Record<string, RpcMethod> = {
  getLatestBlockhash,
  isBlockhashValid,
  getEpochInfo,
  getSlot: withSlot((slot) => slot),
  getBlockHeight: withSlot((slot) => slot),
  getTransactionCount: (_params, { ledger }) => ledger.transactionCount,
  getEpochSchedule: () => ({
    slotsPerEpoch: SLOTS_PER_EPOCH,
    leaderScheduleSlotOffset: SLOTS_PER_EPOCH,
    warmup: false,
    firstNormalEpoch: 0,
    firstNormalSlot: 0,
  }),
  getVersion: () => ({ 'solana-core': '3.0.0', 'feature-set': 0 }),
  getHealth: () => 'ok',
  getGenesisHash: (_params, { ledger }) => ledger.clock.blockhashAt(0),
  getIdentity: (_params, { ledger }) => ({ identity: ledger.faucetAddress }),
  getRecentPrioritizationFees: () => [],
  getFirstAvailableBlock: () => 0,
};
