// Reading positional JSON-RPC params the way Solana validates them: a wrong type is an invalid-params error naming
// the problem, never an exception with a stack.
import { decodeAddress, decodeBase58 } from '../base58.js';
import type { LocalLedger } from '../ledger.js';
import { invalidParams, RpcCode, RpcError } from './json-rpc.js';

/** What every method gets. */
export interface RpcContext {
  ledger: LocalLedger;
}

/** A method: positional params in, result out (thrown RpcErrors become error responses). */
export type RpcMethod = (params: unknown[], context: RpcContext) => unknown;

/** Solana's `context` object of a response at `slot`. */
export function rpcContext(slot: number) {
  return { slot, apiVersion: '3.0.0' };
}

/** The config object at `index` (absent: empty). */
export function configAt(params: unknown[], index: number): Record<string, unknown> {
  const value = params[index];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParams(`Invalid params: config must be an object`);
  return value as Record<string, unknown>;
}

/** A required string param. */
export function stringAt(params: unknown[], index: number, what: string): string {
  const value = params[index];
  if (typeof value !== 'string') throw invalidParams(`Invalid params: ${what} must be a string`);
  return value;
}

/** A base58 address param (validated, returned as given). */
export function addressAt(params: unknown[], index: number): string {
  const value = stringAt(params, index, 'address');
  if (!decodeAddress(value)) throw invalidParams(`Invalid param: Invalid`);
  return value;
}

/** A non-negative integer param or config field. */
export function integer(value: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw invalidParams(`Invalid params: ${what} must be an integer between 0 and ${max}`);
  }
  return value;
}

/** An optional string config field. */
export function optionalString(config: Record<string, unknown>, key: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParams(`Invalid params: ${key} must be a string`);
  return value;
}

/** Enforces `minContextSlot` like Solana (-32016 when the node is behind it). */
export function checkMinContextSlot(config: Record<string, unknown>, slot: number): void {
  const min = config.minContextSlot;
  if (min === undefined || min === null) return;
  if (integer(min, 'minContextSlot') > slot) {
    throw new RpcError(RpcCode.minContextSlotNotReached, 'Minimum context slot has not been reached', {
      contextSlot: slot,
    });
  }
}

/** Decodes a base58 or base64 payload (a transaction or message). */
export function decodePayload(text: string, encoding: string | undefined, what: string): Uint8Array {
  if (encoding === undefined || encoding === 'base58') {
    try {
      return decodeBase58(text);
    } catch {
      throw invalidParams(`invalid ${what}: invalid base58 encoding`);
    }
  }
  if (encoding === 'base64') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw invalidParams(`invalid ${what}: invalid base64 encoding`);
    return new Uint8Array(Buffer.from(text, 'base64'));
  }
  throw invalidParams(`Invalid params: unsupported encoding: ${encoding}. Supported encodings: base58, base64`);
}
