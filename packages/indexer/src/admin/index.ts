// Administration: API keys (hashed, scoped; the first admin key is created by the CLI).
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
