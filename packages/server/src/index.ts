// The API server's library surface.
export type { Context, ServerDeps } from './context.js';
export { loadServerEnv, type ServerEnv } from './env.js';
export { createLogger, type Logger } from './logger.js';
export { type AppRouter, appRouter } from './routers/app.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
export { type CachedRoot, createTreeCache, type TreeCache } from './trees.js';
