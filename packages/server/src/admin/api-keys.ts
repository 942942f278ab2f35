// admin.apiKeys: the API keys (never a secret or hash), creating one (its secret is answered this once) and revoking.
import { API_KEY_SCOPES, type ApiKeyInfo, createApiKey, listApiKeys, revokeApiKey } from '@attention-oracle/indexer';
import { z } from 'zod';
import { fail, ok, unwrap } from '../errors.js';
import { router } from '../trpc.js';
import { isoOrNull, refusingInvalid } from './inputs.js';
import { adminRoute } from './procedure.js';

const scopeInput = z.enum(API_KEY_SCOPES);

const apiKeyOutput = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The key's first 12 characters, to tell keys apart. */
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const apiKeyOf = (k: ApiKeyInfo): z.infer<typeof apiKeyOutput> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  createdBy: k.createdBy,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: isoOrNull(k.lastUsedAt),
  revokedAt: isoOrNull(k.revokedAt),
});

/**
 * admin.apiKeys.list, create and revoke (scope admin only: a key must not be able to mint a stronger one).
 *
 * @example const { key } = await client.admin.apiKeys.create.mutate({ name: 'dashboard', scopes: ['read'] });
 */
export const adminApiKeysRouter = router({
  list: adminRoute({
    method: 'GET',
    path: '/api-keys',
    summary: 'Every API key, oldest first, revoked ones included (never a secret)',
    scopes: ['admin'],
  })
    .input(z.object({}).optional())
    .output(z.object({ keys: z.array(apiKeyOutput) }))
    .query(async ({ ctx }) => ({ keys: (await listApiKeys(ctx.db.query)).map(apiKeyOf) })),
  create: adminRoute({
    method: 'POST',
    path: '/api-keys',
    summary: 'Create an API key; its secret is in this answer only (only its hash is stored)',
    scopes: ['admin'],
  })
    .input(
      z.object({
        name: z.string().trim().min(1).max(100),
        scopes: z.array(scopeInput).min(1).max(API_KEY_SCOPES.length),
      }),
    )
    .output(z.object({ id: z.number().int(), prefix: z.string(), key: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const created = unwrap(
        await refusingInvalid(() =>
          createApiKey(ctx.db, { name: input.name, scopes: input.scopes, actor: ctx.admin.actor }),
        ),
      );
      ctx.setHeader('cache-control', 'no-store');
      return { id: created.id, prefix: created.prefix, key: created.key };
    }),
  revoke: adminRoute({
    method: 'POST',
    path: '/api-keys/revoke',
    summary: 'Revoke an API key by id or prefix',
    scopes: ['admin'],
  })
    .input(
      z.object({
        key: z.union([
          z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
          z.string().regex(/^ao_[1-9A-HJ-NP-Za-km-z]{9}$/, 'a key prefix is ao_ and 9 base58 characters'),
        ]),
      }),
    )
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const revoked = unwrap(
        await refusingInvalid(() => revokeApiKey(ctx.db, { key: input.key, actor: ctx.admin.actor })),
      );
      return unwrap(revoked ? ok({ revoked: true as const }) : fail('NOT_FOUND', `no active API key ${input.key}`));
    }),
});
