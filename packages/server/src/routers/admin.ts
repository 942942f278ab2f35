// The admin router: operator procedures for API keys with scopes (src/admin/procedure.ts), each also REST under
// /v1/admin, every change audited with the key as actor.
import { adminApiKeysRouter } from '../admin/api-keys.js';
import { adminAuditRouter } from '../admin/audit.js';
import { adminChannelsRouter } from '../admin/channels.js';
import { adminClaimsRouter } from '../admin/claims.js';
import { adminCorrectionsRouter } from '../admin/corrections.js';
import { adminBotsRouter, adminSuppressionsRouter } from '../admin/exclusions.js';
import { adminRootsRouter } from '../admin/roots.js';
import { router } from '../trpc.js';

/**
 * admin.channels, suppressions, bots, corrections, roots, claims, apiKeys and audit.
 *
 * @example await client.admin.roots.build.mutate(); // with an `authorization: Bearer <key>` header
 */
export const adminRouter = router({
  channels: adminChannelsRouter,
  suppressions: adminSuppressionsRouter,
  bots: adminBotsRouter,
  corrections: adminCorrectionsRouter,
  roots: adminRootsRouter,
  claims: adminClaimsRouter,
  apiKeys: adminApiKeysRouter,
  audit: adminAuditRouter,
});
