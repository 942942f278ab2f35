// The indexer's configuration: the only place that reads process.env.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const list = z
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
  TWITCH_CHANNELS: list,
  /** One or more RPC URLs (comma-separated), tried in order with failover. */
  SOLANA_RPC_URL: list,
  /** The Attention Oracle program; defaults to the mainnet program id. */
  ATTENTION_ORACLE_PROGRAM_ID: z
    .string()
    .regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, 'a base58 address')
    .optional(),
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
