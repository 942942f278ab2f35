// Transaction fees as agave (and litesvm) charge them: 5,000 lamports per signature, precompile signatures included,
// plus the priority fee (compute-unit price x compute-unit limit). litesvm reports no fee, so the ledger computes it.
import { encodeAddress } from './base58.js';
import type { WireMessage } from './wire-transaction.js';

/** Lamports per signature on every Solana cluster today. */
export const LAMPORTS_PER_SIGNATURE = 5000n;

const COMPUTE_BUDGET = 'ComputeBudget111111111111111111111111111111';
const SIGNATURE_PRECOMPILES = new Set([
  'Ed25519SigVerify111111111111111111111111111',
  'KeccakSecp256k11111111111111111111111111111',
  'Secp256r1SigVerify1111111111111111111111111',
]);
// Builtins get a 3,000-unit default allocation instead of 200,000 when no limit is set.
const BUILTINS = new Set([
  '11111111111111111111111111111111',
  COMPUTE_BUDGET,
  'Vote111111111111111111111111111111111111111',
  'BPFLoader1111111111111111111111111111111111',
  'BPFLoader2111111111111111111111111111111111',
  'BPFLoaderUpgradeab1e11111111111111111111111',
  'LoaderV411111111111111111111111111111111111',
  ...SIGNATURE_PRECOMPILES,
]);
const MAX_COMPUTE_UNIT_LIMIT = 1_400_000n;

function readUint(data: Uint8Array, offset: number, bytes: 4 | 8): bigint | undefined {
  if (data.length < offset + bytes) return undefined;
  const view = new DataView(data.buffer, data.byteOffset + offset, bytes);
  return bytes === 4 ? BigInt(view.getUint32(0, true)) : view.getBigUint64(0, true);
}

/**
 * The fee a message pays. Program ids are read from static keys only (a program cannot be loaded from a lookup
 * table), so this needs no account state.
 */
export function messageFee(message: WireMessage): bigint {
  let signatures = BigInt(message.numRequiredSignatures);
  let unitLimit: bigint | undefined;
  let microLamportsPerUnit = 0n;
  let defaultLimit = 0n;
  for (const instruction of message.instructions) {
    const key = message.staticKeys[instruction.programIdIndex];
    const program = key ? encodeAddress(key) : '';
    defaultLimit += BUILTINS.has(program) ? 3000n : 200_000n;
    if (SIGNATURE_PRECOMPILES.has(program)) signatures += BigInt(instruction.data[0] ?? 0);
    if (program !== COMPUTE_BUDGET) continue;
    // ComputeBudgetInstruction: 2 = SetComputeUnitLimit(u32), 3 = SetComputeUnitPrice(u64 micro-lamports).
    if (instruction.data[0] === 2) unitLimit = readUint(instruction.data, 1, 4);
    if (instruction.data[0] === 3) microLamportsPerUnit = readUint(instruction.data, 1, 8) ?? 0n;
  }
  const limit =
    (unitLimit ?? defaultLimit) < MAX_COMPUTE_UNIT_LIMIT ? (unitLimit ?? defaultLimit) : MAX_COMPUTE_UNIT_LIMIT;
  const priority = (microLamportsPerUnit * limit + 999_999n) / 1_000_000n;
  return signatures * LAMPORTS_PER_SIGNATURE + priority;
}
