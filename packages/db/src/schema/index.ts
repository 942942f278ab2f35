// Pure table definitions: importing this opens no connection.
export { allocations } from './allocations.js';
export { auditLog } from './audit-log.js';
export { bots } from './bots.js';
export { channels } from './channels.js';
export { CHAT_EVENT_KIND_CODES, type ChatEventKindName } from './chat-event-kinds.js';
export { chatEvents } from './chat-events.js';
export { collectorHeartbeats } from './collector-heartbeats.js';
export { amount, bytea } from './columns.js';
export { epochs } from './epochs.js';
export { jobs } from './jobs.js';
export { lateEvents } from './late-events.js';
export { legacyIdentities } from './legacy-identities.js';
export { paidImports } from './paid-imports.js';
export { participation } from './participation.js';
export { suppressions } from './suppressions.js';
export { users } from './users.js';
