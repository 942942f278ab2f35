import { sha256 } from '@noble/hashes/sha2.js';

/** The namespaces Anchor hashes names under: instructions, accounts and events. */
export type AnchorNamespace = 'global' | 'account' | 'event';

/**
 * Anchor's 8-byte discriminator: the first 8 bytes of `sha256("<namespace>:<name>")`.
 *
 * @example toHex(anchorDiscriminator('global', 'claim_global')) // '36b4975b48f36ef7'
 */
export function anchorDiscriminator(namespace: AnchorNamespace, name: string): Uint8Array {
  return sha256(new TextEncoder().encode(`${namespace}:${name}`)).slice(0, 8);
}

/** Instructions by their on-chain (snake_case) names. */
export type InstructionName =
  | 'initialize_global_root'
  | 'publish_global_root'
  | 'claim_global'
  | 'claim_global_sponsored'
  | 'claim_global_v2'
  | 'claim_global_sponsored_v2'
  | 'initialize_protocol_state';

const INSTRUCTION_NAMES: readonly InstructionName[] = [
  'initialize_global_root',
  'publish_global_root',
  'claim_global',
  'claim_global_sponsored',
  'claim_global_v2',
  'claim_global_sponsored_v2',
  // Listed for local chains that set the program up; this SDK builds no instruction for it.
  'initialize_protocol_state',
];

/** Accounts by their on-chain type names. */
export type AccountName = 'ProtocolState' | 'GlobalRootConfig' | 'ClaimStateGlobal';

/** Events by their on-chain type names. */
export type EventName = 'GlobalRootPublished' | 'GlobalRewardsClaimed';

function table<N extends string>(namespace: AnchorNamespace, names: readonly N[]): Readonly<Record<N, Uint8Array>> {
  return Object.freeze(Object.fromEntries(names.map((n) => [n, anchorDiscriminator(namespace, n)]))) as Record<
    N,
    Uint8Array
  >;
}

/**
 * Instruction discriminators (`sha256("global:<name>")[0..8]`). Shared arrays: read them, never write to them.
 *
 * @example INSTRUCTION_DISCRIMINATORS.publish_global_root // 51 8d e2 16 fe a7 62 ff
 */
export const INSTRUCTION_DISCRIMINATORS = /* @__PURE__ */ table('global', INSTRUCTION_NAMES);

/**
 * Account discriminators (`sha256("account:<Name>")[0..8]`), the first 8 bytes of each account's data.
 *
 * @example ACCOUNT_DISCRIMINATORS.GlobalRootConfig // a7 60 c2 e8 19 68 eb 3e
 */
export const ACCOUNT_DISCRIMINATORS = /* @__PURE__ */ table<AccountName>('account', [
  'ProtocolState',
  'GlobalRootConfig',
  'ClaimStateGlobal',
]);

/**
 * Event discriminators (`sha256("event:<Name>")[0..8]`), the first 8 bytes of each `Program data:` payload.
 *
 * @example EVENT_DISCRIMINATORS.GlobalRewardsClaimed // 95 5e 89 d5 18 9b 60 3d
 */
export const EVENT_DISCRIMINATORS = /* @__PURE__ */ table<EventName>('event', [
  'GlobalRootPublished',
  'GlobalRewardsClaimed',
]);
