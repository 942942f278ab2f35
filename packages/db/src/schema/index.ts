// Pure table definitions: importing this opens no connection.

export { alarms } from './alarms.js';
export { allocations } from './allocations.js';
export { apiKeys } from './api-keys.js';
export { auditLog } from './audit-log.js';
export { bots } from './bots.js';
export { chainClaims, chainCursors, chainRootEvents } from './chain-events.js';
export { channels } from './channels.js';
export { CHAT_EVENT_KIND_CODES, type ChatEventKindName } from './chat-event-kinds.js';
export { chatEvents } from './chat-events.js';
export { claims } from './claims.js';
export { collectorHeartbeats } from './collector-heartbeats.js';
export { amount, bytea } from './columns.js';
export { corrections } from './corrections.js';
export { creditedEpochs } from './credited-epochs.js';
export { epochs } from './epochs.js';
export { externalCreditImports, externalCredits } from './external-credits.js';
export { jobs } from './jobs.js';
export { lateEvents } from './late-events.js';
export { legacyIdentities } from './legacy-identities.js';
export { paidImports } from './paid-imports.js';
export { participation } from './participation.js';
export { rootBlobs, roots } from './roots.js';
export { suppressions } from './suppressions.js';
export { users } from './users.js';
export { walletBindings } from './wallet-bindings.js';
export { walletCredits } from './wallet-credits.js';
export { walletTotals } from './wallet-totals.js';
