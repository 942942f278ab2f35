// Job contracts, business-key ids and the factory's choice of implementation.
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '@attention-oracle/core';
import { createTestPglite } from '@attention-oracle/db/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isQueueName, jobContracts, parseJobData, queueNames } from '../../src/jobs/contracts.js';
import { InvalidJobPayloadError, isNonRetryable, NonRetryableJobError } from '../../src/jobs/errors.js';
import { createJobQueue } from '../../src/jobs/index.js';
import { jobId, jobIdFor, requireJobId, timeBucket } from '../../src/jobs/job-ids.js';
import { retryDelayMs } from '../../src/jobs/queue.js';
import { TEST_REDIS_URL } from './fixtures/queue-fixtures.js';
import { silentLogger } from './fixtures/wait.js';

describe('job contracts', () => {
  it('declares every queue once', () => {
    expect(queueNames).toEqual([
      'participation-aggregate',
      'epoch-seal',
      'channel-discovery',
      'retention',
      'backfill-import',
      'leaderboard-totals',
      'ledger-credit',
      'tree-build',
      'root-publish',
      'chain-watch',
      'claim-reconcile',
    ]);
    expect(queueNames.every(isQueueName)).toBe(true);
    expect(isQueueName('toString')).toBe(false);
    expect(Object.keys(jobContracts)).toEqual(queueNames);
  });

  it('parses valid payloads, dropping unknown fields', () => {
    expect(parseJobData('epoch-seal', { epoch: 3600, extra: true })).toEqual({ epoch: 3600 });
    expect(parseJobData('backfill-import', { file: 'a.csv', format: 'csv' })).toEqual({ file: 'a.csv', format: 'csv' });
    expect(parseJobData('channel-discovery', { limit: 50 })).toEqual({ limit: 50 });
    expect(parseJobData('retention', { olderThanDays: 30 })).toEqual({ olderThanDays: 30 });
  });

  it('rejects invalid payloads with a non-retryable error naming the queue and fields', () => {
    const attempt = (queue: Parameters<typeof parseJobData>[0], data: unknown) => () => parseJobData(queue, data);
    expect(attempt('epoch-seal', { epoch: 1.5 })).toThrow(InvalidJobPayloadError);
    expect(attempt('epoch-seal', null)).toThrow(/^invalid payload for epoch-seal: \(payload\): /);
    expect(attempt('backfill-import', { file: '', format: 'xml' })).toThrow(
      /^invalid payload for backfill-import: file: .*; format: /,
    );
    expect(attempt('channel-discovery', { limit: 0 })).toThrow(/limit/);
    expect(attempt('retention', { olderThanDays: -1 })).toThrow(/olderThanDays/);
    expect(isNonRetryable(new InvalidJobPayloadError('x'))).toBe(true);
    expect(isNonRetryable(new NonRetryableJobError('x'))).toBe(true);
    expect(isNonRetryable(new Error('x'))).toBe(false);
  });
});

describe('job ids', () => {
  it('derive from business keys', () => {
    expect(jobId.seal(1_700_000_000)).toBe('epoch-seal.1700000000');
    expect(jobId.aggregate(1_700_000_000, 7)).toBe('participation-aggregate.1700000000.7');
    expect(jobId.discovery('2026-11-25')).toBe('channel-discovery.2026-11-25');
    expect(jobId.retention(20_000)).toBe('retention.20000');
    expect(jobId.backfill('/data/legacy:1.csv', 'csv')).toMatch(/^backfill-import\.csv\.[0-9a-f]{32}$/);
    expect(jobId.backfill('/data/legacy:1.csv', 'csv')).toBe(jobId.backfill('/data/legacy:1.csv', 'csv'));
    expect(jobId.backfill('/data/legacy:1.csv', 'csv')).not.toBe(jobId.backfill('/data/legacy:2.csv', 'csv'));
  });

  it('refuse key parts that could make two keys share an id', () => {
    expect(() => jobIdFor('epoch-seal')).toThrow(InvalidArgumentError);
    expect(() => jobId.seal(-3600)).toThrow(InvalidArgumentError);
    expect(() => jobId.seal(1.5)).toThrow(InvalidArgumentError);
    expect(() => jobId.discovery('a.b')).toThrow(InvalidArgumentError);
    expect(() => jobId.discovery('a:b')).toThrow(InvalidArgumentError);
    expect(() => jobId.discovery('')).toThrow(InvalidArgumentError);
  });

  it('accept only ids both queues can store', () => {
    expect(requireJobId('epoch-seal.1')).toBe('epoch-seal.1');
    for (const bad of ['', '123', 'a:b', 'x'.repeat(257)])
      expect(() => requireJobId(bad)).toThrow(InvalidArgumentError);
  });

  it('bucket time for repeatable work', () => {
    expect(timeBucket(86_400_000 * 3 + 5, 86_400_000)).toBe(3);
    expect(timeBucket(86_400_000 * 3 - 1, 86_400_000)).toBe(2);
    expect(() => timeBucket(1, 0)).toThrow(InvalidArgumentError);
  });

  it('retry on the BullMQ exponential schedule', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(1_000, attempt))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });
});

describe('createJobQueue', () => {
  it('uses BullMQ with a Redis URL and the database otherwise', async () => {
    const db = await createTestPglite();
    const prefix = `ao-test-${randomBytes(6).toString('hex')}`;
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const inDatabase = createJobQueue({ db, logger: silentLogger });
      const onRedis = createJobQueue({ db, redisUrl: TEST_REDIS_URL, prefix, logger: silentLogger });
      expect([inDatabase.kind, onRedis.kind]).toEqual(['database', 'bullmq']);
      expect(await onRedis.counts('epoch-seal')).toEqual({
        waiting: 0,
        delayed: 0,
        active: 0,
        completed: 0,
        failed: 0,
      });
      await Promise.all([inDatabase.close(), onRedis.close()]);
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await db.close();
    }
  });
});
