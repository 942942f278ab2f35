// Node-only additions: role keys from files or environment variables (they use node:crypto and node:fs).
export { loadRoleKey, type RoleKeySource } from './keys/load-role-key.js';
export { RoleKey } from './keys/role-key.js';
export { KEY_ROLE_NAMES, type KeyRole, RoleKeyError } from './keys/role-key-error.js';
