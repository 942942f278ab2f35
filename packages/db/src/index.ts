export { type Database, type DatabaseHandle, type DatabaseOptions, openDatabase, pgArray, sql } from './client.js';
export * from './schema/index.js';
