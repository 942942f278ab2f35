// Administration: API keys (hashed, scoped; the first admin key is created by the CLI), viewer opt-outs and bots.
export {
  API_KEY_SCOPES,
  type ApiKeyInfo,
  type ApiKeyScope,
  type CreateApiKeyInput,
  type CreatedApiKey,
  createApiKey,
  createFirstAdminKey,
  listApiKeys,
  revokeApiKey,
  type VerifiedApiKey,
  verifyApiKey,
} from './api-keys.js';
export {
  type AddedExclusion,
  addBot,
  addSuppression,
  type Bot,
  type ExclusionListOptions,
  exclusionsCommand,
  listBots,
  listSuppressions,
  removeBot,
  removeSuppression,
  type Suppression,
} from './exclusions.js';
