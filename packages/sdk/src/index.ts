// The public surface of @attention-oracle/sdk: the Attention Oracle program client (browser-safe).
export * from './program/index.js';
