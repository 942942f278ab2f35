export {
  type Database,
  type DatabaseHandle,
  type DatabaseOptions,
  openDatabase,
  pgArray,
  type RawQuery,
  sql,
} from './client.js';
export * from './schema/index.js';
