import { TOKEN } from '@attention-oracle/core';
import { describe, expect, it } from 'vitest';
import { type SealOptions, sealEpoch, sealReadyEpochs } from '../../src/epochs/index.js';
import { addChannels, allocationsOf, backends, E, HOUR, heartbeat, insertEvents, useDatabase } from './fixtures.js';

const NOW = (E + 2 * HOUR + 60) * 1000; // both epochs of the window [E, E + 1 h] may seal
const options: SealOptions = {
  epochSeconds: HOUR,
  graceSeconds: 60,
  deadAfterSeconds: 300,
  policy: { id: 'promo-v1', params: { windowEpochs: 2, windowBudget: 10_000n * TOKEN } },
  now: NOW,
};
const tokens = (n: number) => String(BigInt(n) * TOKEN);

describe.each(backends)('promo-v1 windows on %s', (_, open) => {
  const db = useDatabase(open);

  it("pays the whole window's participation when its last epoch seals, under channel 0", async () => {
    await addChannels(db(), [1, 2]);
    await insertEvents(db(), [
      { id: 1, kind: 'message', user: 100, channel: 1 },
      { id: 2, kind: 'message', user: 101, channel: 1 },
      { id: 3, kind: 'message', user: 100, channel: 2 },
      { id: 4, kind: 'message', user: 100, channel: 1, epoch: E + HOUR },
    ]);
    await heartbeat(db(), 'a', NOW, NOW);
    const { sealed } = await sealReadyEpochs(db(), options);
    expect(sealed.map((s) => [s.epoch, s.allocationCount])).toEqual([
      [E, 0],
      [E + HOUR, 2],
    ]);
    expect(await allocationsOf(db(), E)).toEqual([]);
    expect(await allocationsOf(db(), E + HOUR)).toEqual([
      ['0', '100', '3', tokens(130)],
      ['0', '101', '1', tokens(110)],
    ]);
  });

  it('creates and seals the last epoch of a window whose last hour was quiet', async () => {
    await addChannels(db(), [1]);
    await insertEvents(db(), [
      { id: 1, kind: 'message', user: 100 },
      { id: 2, kind: 'message', user: 101 },
    ]);
    await heartbeat(db(), 'a', NOW, NOW);
    const { sealed } = await sealReadyEpochs(db(), options);
    expect(sealed.map((s) => [s.epoch, s.allocationCount, s.eventCount])).toEqual([
      [E, 0, 2],
      [E + HOUR, 2, 0],
    ]);
    expect((await allocationsOf(db(), E + HOUR)).map((a) => a[3])).toEqual([tokens(110), tokens(110)]);
  });

  it('refuses to close a window whose earlier epochs are still open, and a mismatched epoch length', async () => {
    await insertEvents(db(), [{ id: 1, kind: 'message', user: 100 }]);
    await heartbeat(db(), 'a', NOW, NOW);
    await expect(sealEpoch(db(), E + HOUR, options)).rejects.toThrow(
      `epoch ${E + HOUR} closes a promo-v1 window whose epoch ${E} is still open`,
    );
    const policy = { id: 'promo-v1' as const, params: { windowEpochs: 2, windowBudget: 1n, epochSeconds: 60 } };
    await expect(sealEpoch(db(), E, { ...options, policy })).rejects.toThrow(
      'promo-v1 params.epochSeconds is 60 but epochs are 3600 s long',
    );
  });
});
