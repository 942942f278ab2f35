// Database setup of the auth tests: both backends, with the ledger tables and users emptied before each test.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import type { TEST_BACKENDS } from '@attention-oracle/db/testing';
import { useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import { resetLedger } from '../../../indexer/test/ledger/fixtures.js';

export { backends } from '../../../indexer/test/epochs/fixtures.js';

/** Opens the backend once per suite; empties users and the ledger before each test. */
export const useAuthDatabase = (open: (typeof TEST_BACKENDS)[number][1]) =>
  useDatabase(open, async (db: DatabaseHandle) => {
    await resetLedger(db);
    await db.query(sql`truncate users`);
  });
