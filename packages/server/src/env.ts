// The server's configuration: the only place the server reads process.env. Indexer settings (DATABASE_URL, DATA_DIR,
// SOLANA_RPC_URL, MINT, ...) come from the indexer's loadEnv, so both read them the same way.

import { randomBytes } from 'node:crypto';
import { commaList, type IndexerEnv, loadEnv } from '@attention-oracle/indexer';
import { z } from 'zod';
import { type AuthConfig, resolveAuthConfig } from './auth/config.js';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Origins allowed to call the API from a browser, comma-separated (exact match, e.g. https://claim.example). */
  CORS_ORIGINS: commaList.pipe(
    z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin like https://app.example (no path)')),
  ),
  /** Ready fails when no chat event arrived on an enabled channel for this long. */
  READY_MAX_CHAT_SILENCE_SECONDS: z.coerce.number().int().positive().default(7200),
  /** The largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(65_536),
  /** How often the proof cache checks the roots table for changes. */
  ROOTS_POLL_MS: z.coerce.number().int().positive().default(5000),
  NODE_ENV: z.string().default('development'),
  /** HMAC key of session, login and CSRF cookies (32+ characters); required in production, else random per start. */
  COOKIE_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** Our Twitch callback URL, e.g. https://app.example/auth/callback; with TWITCH_CLIENT_ID/SECRET it enables login. */
  TWITCH_REDIRECT_URI: z.string().url().optional(),
  TWITCH_ISSUER_URL: z.string().url().optional(),
  HELIX_BASE_URL: z.string().url().optional(),
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The domain wallet challenges name. */
  PUBLIC_DOMAIN: z.string().min(1).default('localhost'),
  /** The sponsor fee payer's keypair file (claims.sponsor); else SPONSOR_KEYPAIR, else DATA_DIR/chain's key. */
  SPONSOR_KEYPAIR_PATH: z.string().min(1).optional(),
  /** The sponsor fee payer's keypair: the JSON array of 64 numbers, or base58 of the 64 bytes. */
  SPONSOR_KEYPAIR: z.string().min(1).optional(),
  /** The least a sponsored claim must pay (gross, base units), so the sponsor's fees and rent buy something. */
  SPONSOR_MIN_CLAIMABLE: z.coerce.bigint().nonnegative().default(1_000_000_000n),
  /** Sponsored claims one wallet may have in any 24 hours. */
  SPONSOR_MAX_PER_WALLET_PER_DAY: z.coerce.number().int().min(0).max(1000).default(3),
  /** Claim requests (claims.sponsor and claims.direct) one client address may make per minute. */
  SPONSOR_RATE_PER_IP_PER_MINUTE: z.coerce.number().int().positive().max(100_000).default(20),
  /** Claim requests (claims.sponsor and claims.direct) for one wallet or viewer per minute. */
  SPONSOR_RATE_PER_WALLET_PER_MINUTE: z.coerce.number().int().positive().max(100_000).default(5),
});

/** The server's settings, plus the indexer's (database, data folder, chain). */
export interface ServerEnv {
  readonly port: number;
  readonly host: string;
  readonly corsOrigins: readonly string[];
  readonly readyMaxChatSilenceSeconds: number;
  readonly maxBodyBytes: number;
  readonly rootsPollMs: number;
  readonly indexer: IndexerEnv;
  readonly auth: AuthConfig;
  /** claims.sponsor and claims.direct: the sponsor key's source and the guards on sponsored spend. */
  readonly sponsor: SponsorSettings;
}

/** Where the sponsor fee payer's key comes from (at most one of path and keypair) and the limits on its spend. */
export interface SponsorSettings {
  readonly keypairPath: string | undefined;
  readonly keypair: string | undefined;
  /** Gross base units a sponsored claim must at least pay. */
  readonly minClaimable: bigint;
  readonly maxPerWalletPerDay: number;
  readonly ratePerIpPerMinute: number;
  readonly ratePerWalletPerMinute: number;
}

/**
 * Parses the server's environment, or throws one error listing every bad variable.
 *
 * @example const env = loadServerEnv(); console.log(`listening on ${env.host}:${env.port}`);
 */
export function loadServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  const env = parsed.data;
  const indexer = loadEnv(source);
  if (env.NODE_ENV === 'production' && !env.COOKIE_SECRET) {
    throw new Error('invalid configuration:\n  COOKIE_SECRET: required when NODE_ENV=production (32+ characters)');
  }
  const twitch =
    indexer.TWITCH_CLIENT_ID && indexer.TWITCH_CLIENT_SECRET && env.TWITCH_REDIRECT_URI
      ? {
          clientId: indexer.TWITCH_CLIENT_ID,
          clientSecret: indexer.TWITCH_CLIENT_SECRET,
          redirectUri: env.TWITCH_REDIRECT_URI,
        }
      : null;
  const auth = resolveAuthConfig({
    cookieSecret: env.COOKIE_SECRET ?? randomBytes(32).toString('base64url'),
    nodeEnv: env.NODE_ENV,
    twitch,
    issuerUrl: env.TWITCH_ISSUER_URL,
    helixBaseUrl: env.HELIX_BASE_URL,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    secureCookies: env.COOKIE_SECURE,
    challengeDomain: env.PUBLIC_DOMAIN,
  });
  return {
    port: env.PORT,
    host: env.HOST,
    corsOrigins: env.CORS_ORIGINS,
    readyMaxChatSilenceSeconds: env.READY_MAX_CHAT_SILENCE_SECONDS,
    maxBodyBytes: env.MAX_BODY_BYTES,
    rootsPollMs: env.ROOTS_POLL_MS,
    indexer,
    auth,
    sponsor: {
      keypairPath: env.SPONSOR_KEYPAIR_PATH,
      keypair: env.SPONSOR_KEYPAIR,
      minClaimable: env.SPONSOR_MIN_CLAIMABLE,
      maxPerWalletPerDay: env.SPONSOR_MAX_PER_WALLET_PER_DAY,
      ratePerIpPerMinute: env.SPONSOR_RATE_PER_IP_PER_MINUTE,
      ratePerWalletPerMinute: env.SPONSOR_RATE_PER_WALLET_PER_MINUTE,
    },
  };
}
