import { keccak256, toHex } from '@attention-oracle/core';
import { describe, expect, it } from 'vitest';
import { type SealHashInput, sealInputHash } from '../../src/epochs/index.js';

const row = (channel: string, viewer: string, epoch = 3600) => ({
  epoch,
  channel,
  viewer,
  activeMinutes: 3,
  messages: 4,
  subs: 1,
  resubs: 0,
  giftedSubs: 2,
  bits: 70_000,
  raidViewers: 5,
});

const INPUT: SealHashInput = {
  epoch: 3600,
  lengthSeconds: 3600,
  eventCount: 9,
  policyId: 'weighted-v1',
  paramsHash: 'ab'.repeat(32),
  enabledChannels: ['7'],
  suppressed: ['42'],
  bots: [],
  rows: [row('7', '1')],
};

describe('sealInputHash', () => {
  it('hashes the documented byte layout', async () => {
    const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
    const u64 = (n: number) => [...u32(n), 0, 0, 0, 0];
    const str = (s: string) => [...u32(s.length), ...Buffer.from(s)];
    const bytes = [
      ...Buffer.from('attention-oracle/seal-input/v1'),
      ...u64(3600),
      ...u64(3600),
      ...u64(9),
      ...str('weighted-v1'),
      ...new Array(32).fill(0xab),
      ...[...u32(1), ...u64(7)],
      ...[...u32(1), ...str('42')],
      ...u32(0),
      ...[...u32(1), ...u64(3600), ...u64(7), ...str('1'), ...[3, 4, 1, 0, 2, 70_000, 5].flatMap(u32)],
    ];
    expect(toHex(await sealInputHash(INPUT))).toBe(toHex(keccak256(Uint8Array.from(bytes))));
  });

  it('changes with every input', async () => {
    const base = toHex(await sealInputHash(INPUT));
    const variants: Partial<SealHashInput>[] = [
      { epoch: 7200 },
      { lengthSeconds: 60 },
      { eventCount: 10 },
      { policyId: 'promo-v1' },
      { paramsHash: 'ac'.repeat(32) },
      { enabledChannels: ['7', '8'] },
      { suppressed: [] },
      { bots: ['42'] },
      { rows: [{ ...row('7', '1'), bits: 70_001 }] },
      { rows: [row('7', '2')] },
      { rows: [] },
    ];
    const hashes = new Set([base]);
    for (const variant of variants) hashes.add(toHex(await sealInputHash({ ...INPUT, ...variant })));
    expect(hashes.size).toBe(variants.length + 1);
  });

  it('rejects inputs out of canonical order', async () => {
    await expect(sealInputHash({ ...INPUT, rows: [row('7', '2'), row('7', '1')] })).rejects.toThrow(
      'seal input rows out of order at epoch 3600, channel 7, 1',
    );
    await expect(sealInputHash({ ...INPUT, rows: [row('10', '1'), row('9', '1')] })).rejects.toThrow('out of order');
    await expect(sealInputHash({ ...INPUT, enabledChannels: ['10', '9'] })).rejects.toThrow(
      'seal input enabled channels are not strictly ascending',
    );
    await expect(sealInputHash({ ...INPUT, bots: ['b', 'a'] })).rejects.toThrow(
      'bot viewers are not strictly ascending',
    );
    // Channels compare as numbers: 9 before 10.
    await expect(sealInputHash({ ...INPUT, rows: [row('9', '1'), row('10', '1')] })).resolves.toHaveLength(32);
  });
});
