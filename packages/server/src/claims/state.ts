// What the claims services keep per server: the sponsor key, rate limiters, sponsored claims in flight, the lookup
// table of deep proofs and the direct settlement (startServer makes one; ServerDeps.claims).
import type { DirectSettlement } from '@attention-oracle/indexer';
import type { RoleKey } from '@attention-oracle/sdk/node';
import type { AddressLookupTableAccount } from '@solana/web3.js';
import { createRateLimiter, type RateLimiter } from '../auth/rate-limit.js';
import type { ServerEnv } from '../env.js';
import type { Logger } from '../logger.js';
import { loadSponsorKey } from './sponsor-key.js';

/** The sponsor key, or why there is none (a public message; details go to the log). */
export type SponsorKeyState = { readonly key: RoleKey } | { readonly key: null; readonly reason: string };

/** One server's claims state. */
export interface ClaimsState {
  /** Loaded on first use. */
  sponsor(): SponsorKeyState;
  /** Per client address and per wallet (or viewer): claims.sponsor and claims.direct share them. */
  readonly limits: { readonly perIp: RateLimiter; readonly perWallet: RateLimiter };
  /** Sponsored claims being sent, by wallet (base58): concurrent requests for one wallet share one. */
  readonly inFlight: Map<string, Promise<unknown>>;
  /** The address lookup table for deep proofs, once found or created. */
  lookupTable: Promise<AddressLookupTableAccount | null> | null;
  /** The direct settlement, once created. */
  direct: DirectSettlement | null;
}

/**
 * A server's claims state; the sponsor key is loaded on first use.
 *
 * @example const claims = createClaimsState({ env, logger }); claims.limits.perIp.take(`ip:${ip}`);
 */
export function createClaimsState(deps: { readonly env: ServerEnv; readonly logger: Logger }): ClaimsState {
  const { ratePerIpPerMinute, ratePerWalletPerMinute } = deps.env.sponsor;
  let sponsor: SponsorKeyState | undefined;
  const state: ClaimsState = {
    sponsor() {
      if (sponsor !== undefined) return sponsor;
      try {
        const key = loadSponsorKey(deps.env);
        sponsor =
          key === null
            ? {
                key: null,
                reason:
                  'no sponsor fee payer key is configured (SPONSOR_KEYPAIR_PATH or SPONSOR_KEYPAIR): sponsored claims are off',
              }
            : { key };
      } catch (error) {
        deps.logger.error({ err: error }, 'the sponsor fee payer key could not be loaded');
        sponsor = { key: null, reason: 'the sponsor fee payer key is misconfigured: sponsored claims are off' };
      }
      return sponsor;
    },
    limits: {
      perIp: createRateLimiter({ capacity: ratePerIpPerMinute, refillPerSecond: ratePerIpPerMinute / 60 }),
      perWallet: createRateLimiter({ capacity: ratePerWalletPerMinute, refillPerSecond: ratePerWalletPerMinute / 60 }),
    },
    inFlight: new Map(),
    lookupTable: null,
    direct: null,
  };
  return state;
}
