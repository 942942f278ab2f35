import type { PublicKey } from '@solana/web3.js';
import { ByteReader, ByteWriter, requireAnchorData } from './bytes-internal.js';
import { ACCOUNT_DISCRIMINATORS } from './discriminators.js';

/**
 * Size of a ProtocolState account, discriminator included.
 *
 * @example accountInfo.data.length === PROTOCOL_STATE_SIZE
 */
export const PROTOCOL_STATE_SIZE = 173;

/** The program's singleton ProtocolState account (PDA `["protocol_state"]`). */
export interface ProtocolState {
  readonly isInitialized: boolean;
  readonly version: number;
  readonly admin: PublicKey;
  /** May publish roots besides the admin (the default key when unset). */
  readonly publisher: PublicKey;
  readonly treasury: PublicKey;
  readonly oracleAuthority: PublicKey;
  readonly mint: PublicKey;
  /** While paused, claims fail (ProtocolPaused) and only the admin may publish. */
  readonly paused: boolean;
  readonly requireReceipt: boolean;
  readonly bump: number;
}

/**
 * Decodes ProtocolState account data; rejects any other size or discriminator.
 *
 * @example
 * const state = decodeProtocolState((await connection.getAccountInfo(protocolState)).data);
 * if (state.paused) console.log('claims are paused');
 */
export function decodeProtocolState(data: Uint8Array): ProtocolState {
  requireAnchorData(data, 'ProtocolState account data', PROTOCOL_STATE_SIZE, ACCOUNT_DISCRIMINATORS.ProtocolState);
  const r = new ByteReader(data);
  return {
    isInitialized: r.bool('ProtocolState.is_initialized'),
    version: r.u8(),
    admin: r.publicKey(),
    publisher: r.publicKey(),
    treasury: r.publicKey(),
    oracleAuthority: r.publicKey(),
    mint: r.publicKey(),
    paused: r.bool('ProtocolState.paused'),
    requireReceipt: r.bool('ProtocolState.require_receipt'),
    bump: r.u8(),
  };
}

/**
 * Encodes a ProtocolState as account data (173 bytes), for local chains and tests.
 *
 * @example
 * const data = encodeProtocolState({ ...state, paused: true });
 */
export function encodeProtocolState(state: ProtocolState): Uint8Array {
  return new ByteWriter(PROTOCOL_STATE_SIZE)
    .raw(ACCOUNT_DISCRIMINATORS.ProtocolState)
    .bool(state.isInitialized)
    .u8(state.version, 'version')
    .publicKey(state.admin, 'admin')
    .publicKey(state.publisher, 'publisher')
    .publicKey(state.treasury, 'treasury')
    .publicKey(state.oracleAuthority, 'oracleAuthority')
    .publicKey(state.mint, 'mint')
    .bool(state.paused)
    .bool(state.requireReceipt)
    .u8(state.bump, 'bump').bytes;
}
