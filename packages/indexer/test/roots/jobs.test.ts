import { describe, expect, it } from 'vitest';
import { NonRetryableJobError } from '../../src/jobs/errors.js';
import {
  chainWatchJob,
  pendingPublishes,
  type RootJobContext,
  rootPublishJob,
  treeBuildJob,
} from '../../src/roots/jobs.js';
import { backends, MINT, PROGRAM_ID, setTotals, useFakeChain, useRootsDatabase } from './fixtures.js';

describe.each(backends)('root jobs (%s)', (_name, open) => {
  const db = useRootsDatabase(open);
  const fake = useFakeChain();
  const context = (publisher?: RootJobContext['publisher']): RootJobContext => ({
    db: db(),
    client: fake.client(),
    programId: PROGRAM_ID,
    mint: MINT,
    leafVersion: 'v4',
    publisher,
    pollEveryMs: 5,
  });

  it('tree-build, root-publish and chain-watch return their contracts’ results', async () => {
    expect(await treeBuildJob(context())).toEqual({
      rootId: null,
      seq: '1',
      skipped: 'no wallet has a positive total',
    });
    await setTotals(db(), [[1, 10n]]);
    const built = await treeBuildJob(context());
    expect(built).toMatchObject({ seq: '1', skipped: null });
    const rootId = built.rootId ?? 0;
    expect((await pendingPublishes(db().query, MINT)).map((r) => r.id)).toEqual([rootId]);
    expect(await treeBuildJob(context())).toEqual({ rootId, seq: '1', skipped: 'a root is awaiting publish' });

    await expect(rootPublishJob(context(), rootId)).rejects.toBeInstanceOf(NonRetryableJobError);
    const published = await rootPublishJob(context(fake.publisher), rootId);
    expect(published).toEqual({ status: 'published', signature: fake.chain().sent[0]?.signature });
    expect(await pendingPublishes(db().query, MINT)).toEqual([]);

    expect(await chainWatchJob(context())).toEqual({ transactions: 1, claims: 0, roots: 1 });
  });

  it('root-publish with an external signer leaves the root awaiting its signature', async () => {
    await setTotals(db(), [[1, 10n]]);
    const { rootId } = await treeBuildJob(context());
    expect(await rootPublishJob(context('external'), rootId ?? 0)).toEqual({
      status: 'awaiting-signature',
      signature: null,
    });
    expect((await pendingPublishes(db().query, MINT)).map((r) => r.status)).toEqual(['awaiting-signature']);
  });
});
