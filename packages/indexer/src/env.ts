// The indexer's configuration: the only place that reads process.env.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
/**
 * A comma-separated setting as a list of trimmed, non-empty items (unset: empty).
 *
 * @example z.object({ CHANNELS: commaList })
 */
export const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data'),
  COLLECTOR_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'COLLECTOR_ID: 1-64 of letters, digits, _ . -')
    .default(
      hostname()
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .slice(0, 64) || 'collector',
    ),
  TWITCH_CHANNELS: commaList,
  /** One or more RPC URLs (comma-separated), tried in order with failover. */
  SOLANA_RPC_URL: commaList,
  /** The Attention Oracle program; defaults to the mainnet program id. */
  ATTENTION_ORACLE_PROGRAM_ID: z
    .string()
    .regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, 'a base58 address')
    .optional(),
  /** The token mint the roots are for (base58). Required on a real cluster; the local chain supplies its own. */
  MINT: z
    .string()
    .regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, 'a base58 address')
    .optional(),
  /**
   * How claims settle: `merkle` (roots on chain, claims through the program), `direct` (the treasury transfers the
   * delta), or `auto`: merkle when the Attention Oracle program is deployed on the chain, direct otherwise.
   */
  SETTLEMENT: z.enum(['auto', 'merkle', 'direct']).default('auto'),
  /** The token account claims are paid from; default: the program's treasury ATA (merkle) or the authority's ATA (direct). */
  TREASURY_ACCOUNT: z
    .string()
    .regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, 'a base58 address')
    .optional(),
  /** Leaf format of built roots: v4 (cumulative total) or v5 (imported base yield + attention bonus). */
  LEAF_VERSION: z.enum(['v4', 'v5']).default('v4'),
  /** How often a root is built (and then published), independent of the epoch length. */
  ROOT_INTERVAL_SECONDS: positiveInt.default(3600),
  /** `key`: sign publishes with the publisher key; `external`: write the unsigned transaction and wait for it to land. */
  PUBLISH_SIGNER: z.enum(['key', 'external']).default('key'),
  /** Role keys: a keypair file path, or the keypair itself (JSON array or base58) in the variable. */
  PUBLISHER_KEYPAIR_PATH: z.string().optional(),
  PUBLISHER_KEYPAIR: z.string().optional(),
  TREASURY_AUTHORITY_KEYPAIR_PATH: z.string().optional(),
  TREASURY_AUTHORITY_KEYPAIR: z.string().optional(),
  /** Direct settlement caps, in base units: per claim, per wallet per rolling 24 h, and for all wallets per 24 h. */
  DIRECT_MAX_PER_CLAIM: z.coerce.bigint().positive().default(10_000_000_000_000n),
  DIRECT_MAX_PER_WALLET_PER_DAY: z.coerce.bigint().positive().default(50_000_000_000_000n),
  DIRECT_MAX_PER_DAY: z.coerce.bigint().positive().default(10_000_000_000_000_000n),
  TWITCH_IRC_SERVER: z.string().optional(),
  TWITCH_IRC_PORT: positiveInt.optional(),
  TWITCH_IRC_SECURE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  TWITCH_CLIENT_ID: z.string().optional(),
  TWITCH_CLIENT_SECRET: z.string().optional(),
  EPOCH_SECONDS: positiveInt.default(3600),
  SEAL_GRACE_SECONDS: z.coerce.number().int().nonnegative().default(120),
  COLLECTOR_DEAD_AFTER_SECONDS: positiveInt.default(300),
  RETENTION_DAYS: positiveInt.default(30),
  POLICY_ID: z.enum(['weighted-v1', 'promo-v1']).default('weighted-v1'),
  /** JSON; bigints as decimal strings. The epoch budget is mandatory for weighted-v1. */
  POLICY_PARAMS: z.string().default('{"epochBudget":"10000000000000"}'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type IndexerEnv = z.infer<typeof schema> & { SPOOL_DIR: string; PGLITE_DIR: string };

/** Parses the environment, or throws one error listing every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): IndexerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  const env = parsed.data;
  if ((env.TWITCH_CLIENT_ID === undefined) !== (env.TWITCH_CLIENT_SECRET === undefined)) {
    throw new Error('invalid configuration:\n  TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET must be set together');
  }
  return {
    ...env,
    SPOOL_DIR: join(env.DATA_DIR, 'spool', env.COLLECTOR_ID),
    PGLITE_DIR: join(env.DATA_DIR, 'pglite'),
  };
}

/** Policy parameters from POLICY_PARAMS: decimal strings of integers become bigints (the policy validates them). */
export function parsePolicyParams(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`POLICY_PARAMS is not valid JSON: ${(error as Error).message}`);
  }
  const revive = (v: unknown): unknown => {
    if (typeof v === 'string' && /^(0|[1-9][0-9]*)$/.test(v)) return BigInt(v);
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
    return v;
  };
  const params = revive(value);
  if (!params || typeof params !== 'object' || Array.isArray(params))
    throw new Error('POLICY_PARAMS must be a JSON object');
  return params as Record<string, unknown>;
}
