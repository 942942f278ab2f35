// The server's configuration: the only place the server reads process.env. Indexer settings (DATABASE_URL, DATA_DIR,
// SOLANA_RPC_URL, MINT, ...) come from the indexer's loadEnv, so both read them the same way.

import { randomBytes } from 'node:crypto';
import { type IndexerEnv, loadEnv } from '@attention-oracle/indexer';
import { z } from 'zod';
import { type AuthConfig, resolveAuthConfig } from './auth/config.js';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Origins allowed to call the API from a browser, comma-separated (exact match, e.g. https://claim.example). */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin like https://app.example (no path)'))),
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
  };
}
