// The servable roots are the four newest published ones by numeric seq (a text sort put 9 above 10).
import { sql } from '@attention-oracle/db';
import { describe, expect, it } from 'vitest';
import { servableRoots } from '../../src/roots/load.js';
import { backends, MINT, useRootsDatabase } from './fixtures.js';

describe.each(backends)('servableRoots (%s)', (_name, open) => {
  const db = useRootsDatabase(open);

  it('answers the four highest published seqs, newest first, past seq 9', async () => {
    for (let seq = 1; seq <= 12; seq++) {
      await db().query(sql`insert into roots (mint, seq, leaf_version, root, dataset_hash, wallets, total, ledger_mark,
          status, published_at)
        values (${MINT.toBytes()}, ${seq}::bigint, 'v4', ${new Uint8Array(32).fill(seq)}, ${new Uint8Array(32)}, 1, 1,
          'test', 'published', now())`);
    }
    const seqs = (await servableRoots(db().query, MINT.toBytes())).map((root) => root.seq);
    expect(seqs).toEqual([12n, 11n, 10n, 9n]);
  });
});
