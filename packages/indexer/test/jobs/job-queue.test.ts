// One test body for every implementation: the database queue on PGlite and PostgreSQL, and BullMQ on Redis.
import { InvalidArgumentError } from '@attention-oracle/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidJobPayloadError, NonRetryableJobError } from '../../src/jobs/errors.js';
import { jobId } from '../../src/jobs/job-ids.js';
import { type QueueFixture, queueFixtures } from './fixtures/queue-fixtures.js';
import { gate, recordingLogger, waitFor } from './fixtures/wait.js';

const EPOCH = 1_700_002_800;

describe.each(queueFixtures().map((fixture) => [fixture.name, fixture] as const))(
  'job queue: %s',
  (_, fixture: QueueFixture) => {
    beforeAll(() => fixture.setup());
    afterEach(() => fixture.cleanup());
    afterAll(() => fixture.teardown());

    const completed = (queue = fixture.create(), id = jobId.seal(EPOCH)) =>
      waitFor(async () => (await queue.get('epoch-seal', id))?.status === 'completed', { what: `${id} completed` });

    it('runs an added job with its validated payload and keeps the result', async () => {
      const queue = fixture.create();
      const seen: unknown[] = [];
      queue.work('epoch-seal', async (data, job) => {
        seen.push({ data, id: job.id, attempt: job.attempt });
        return { sealed: true, inputHash: `hash-${data.epoch}` };
      });
      expect(await queue.add('epoch-seal', jobId.seal(EPOCH), { epoch: EPOCH })).toEqual({ added: true });
      await completed(queue);
      expect(seen).toEqual([{ data: { epoch: EPOCH }, id: jobId.seal(EPOCH), attempt: 1 }]);
      expect(await queue.get('epoch-seal', jobId.seal(EPOCH))).toMatchObject({
        status: 'completed',
        attempts: 1,
        data: { epoch: EPOCH },
        result: { sealed: true, inputHash: `hash-${EPOCH}` },
      });
      expect(await queue.counts('epoch-seal')).toEqual({ waiting: 0, delayed: 0, active: 0, completed: 1, failed: 0 });
      expect((await queue.counts()).completed).toBe(1);
    });

    it('adds an id once: a second add, before or after the run, is a no-op', async () => {
      const queue = fixture.create();
      expect(await queue.add('epoch-seal', jobId.seal(EPOCH), { epoch: EPOCH })).toEqual({ added: true });
      expect(await queue.add('epoch-seal', jobId.seal(EPOCH), { epoch: EPOCH })).toEqual({ added: false });
      let runs = 0;
      queue.work('epoch-seal', async () => {
        runs += 1;
        return { sealed: true, inputHash: null };
      });
      await completed(queue);
      expect(await queue.add('epoch-seal', jobId.seal(EPOCH), { epoch: EPOCH })).toEqual({ added: false });
      expect(await queue.add('epoch-seal', jobId.seal(EPOCH + 3600), { epoch: EPOCH + 3600 })).toEqual({ added: true });
      await completed(queue, jobId.seal(EPOCH + 3600));
      expect(runs).toBe(2);
      expect((await queue.counts('epoch-seal')).completed).toBe(2);
    });

    it('retries with exponential backoff, then fails keeping the last error', async () => {
      const queue = fixture.create({ backoffMs: 100 });
      const starts: { attempt: number; at: number }[] = [];
      queue.work('epoch-seal', async (_data, job) => {
        starts.push({ attempt: job.attempt, at: Date.now() });
        throw new Error(`boom ${job.attempt}`);
      });
      await queue.add('epoch-seal', jobId.seal(EPOCH), { epoch: EPOCH }, { attempts: 3 });
      const failed = await waitFor(async () => {
        const job = await queue.get('epoch-seal', jobId.seal(EPOCH));
        return job?.status === 'failed' && job;
      });
      expect(failed).toMatchObject({ attempts: 3, error: 'boom 3', result: null });
      expect(starts.map((start) => start.attempt)).toEqual([1, 2, 3]);
      // Lower bounds only: a slow machine may wait longer, never shorter. 15 ms covers clock granularity.
      const [first, second, third] = starts.map((start) => start.at) as [number, number, number];
      expect(second - first).toBeGreaterThanOrEqual(100 - 15);
      expect(third - second).toBeGreaterThanOrEqual(200 - 15);
      expect((await queue.counts('epoch-seal')).failed).toBe(1);
    });

    it("retries a failed attempt and completes, keeping the failed attempt's error", async () => {
      const queue = fixture.create();
      queue.work('channel-discovery', async ({ limit }, job) => {
        if (job.attempt === 1) throw new Error('directory unavailable');
        return { proposed: limit };
      });
      await queue.add('channel-discovery', jobId.discovery(1), { limit: 25 });
      const done = await waitFor(async () => {
        const job = await queue.get('channel-discovery', jobId.discovery(1));
        return job?.status === 'completed' && job;
      });
      expect(done).toMatchObject({ attempts: 2, result: { proposed: 25 }, error: 'directory unavailable' });
    });

    it('fails a job with an invalid stored payload at once, without calling the handler', async () => {
      const queue = fixture.create();
      let calls = 0;
      queue.work('epoch-seal', async () => {
        calls += 1;
        return { sealed: true, inputHash: null };
      });
      await fixture.addRaw('epoch-seal', 'epoch-seal.bad', { epoch: 'soon' });
      const failed = await waitFor(async () => {
        const job = await queue.get('epoch-seal', 'epoch-seal.bad');
        return job?.status === 'failed' && job;
      });
      expect(failed.attempts).toBe(1);
      expect(failed.error).toMatch(/^invalid payload for epoch-seal: epoch: /);
      expect(calls).toBe(0);
    });

    it('fails at once on a NonRetryableJobError', async () => {
      const queue = fixture.create();
      queue.work('retention', async () => {
        throw new NonRetryableJobError('retention period below the legal minimum');
      });
      await queue.add('retention', jobId.retention(20_000), { olderThanDays: 30 });
      const failed = await waitFor(async () => {
        const job = await queue.get('retention', jobId.retention(20_000));
        return job?.status === 'failed' && job;
      });
      expect(failed).toMatchObject({ attempts: 1, error: 'retention period below the legal minimum' });
    });

    it('refuses an invalid payload or id when adding', async () => {
      const queue = fixture.create();
      const bad = { epoch: -1 } as { epoch: number };
      await expect(queue.add('epoch-seal', jobId.seal(EPOCH), bad)).rejects.toThrow(InvalidJobPayloadError);
      await expect(queue.add('epoch-seal', jobId.seal(EPOCH), bad)).rejects.toThrow(/^invalid payload for epoch-seal/);
      await expect(queue.add('epoch-seal', 'epoch-seal:1', { epoch: 1 })).rejects.toThrow(InvalidArgumentError);
      await expect(queue.add('epoch-seal', '42', { epoch: 1 })).rejects.toThrow(InvalidArgumentError);
      await expect(queue.add('epoch-seal', 'x', { epoch: 1 }, { attempts: 0 })).rejects.toThrow(InvalidArgumentError);
      expect((await queue.counts()).waiting).toBe(0);
    });

    it('runs no more than `concurrency` handlers at once', async () => {
      const queue = fixture.create();
      let running = 0;
      let most = 0;
      let done = 0;
      const held: (() => void)[] = [];
      queue.work(
        'participation-aggregate',
        async () => {
          running += 1;
          most = Math.max(most, running);
          const { promise, open } = gate();
          held.push(open);
          await promise;
          running -= 1;
          done += 1;
          return { rows: 0 };
        },
        { concurrency: 2 },
      );
      for (let bucket = 0; bucket < 6; bucket += 1) {
        await queue.add('participation-aggregate', jobId.aggregate(EPOCH, bucket), { epoch: EPOCH });
      }
      while (done < 6) {
        await waitFor(() => held.length > 0 && (held.length === 2 || done + held.length === 6), { what: 'held' });
        for (const open of held.splice(0)) open();
        await waitFor(() => running === 0 || held.length > 0, { what: 'released' });
      }
      expect(most).toBe(2);
      await waitFor(async () => (await queue.counts('participation-aggregate')).completed === 6);
    });

    it('close waits for a running handler', async () => {
      const queue = fixture.create();
      const release = gate();
      let started = false;
      let finished = false;
      queue.work('epoch-seal', async () => {
        started = true;
        await release.promise;
        finished = true;
        return { sealed: true, inputHash: null };
      });
      await queue.add('epoch-seal', jobId.seal(EPOCH), { epoch: EPOCH });
      await waitFor(() => started);
      let closed = false;
      const closing = queue.close().then(() => {
        closed = true;
      });
      // The handler is held, so close cannot have returned yet, however long this takes.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);
      release.open();
      await closing;
      expect(finished).toBe(true);
      await completed();
      await expect(queue.add('epoch-seal', jobId.seal(1), { epoch: 1 })).rejects.toThrow(/closed/);
    });

    it('close gives up on a handler after closeTimeoutMs and aborts its signal', async () => {
      const queue = fixture.create({ closeTimeoutMs: 300 });
      let aborted = false;
      let started = false;
      queue.work('epoch-seal', async (_data, job) => {
        started = true;
        await new Promise((resolve) => job.signal.addEventListener('abort', resolve, { once: true }));
        aborted = true;
        throw new Error('aborted');
      });
      await queue.add('epoch-seal', jobId.seal(EPOCH), { epoch: EPOCH });
      await waitFor(() => started);
      await queue.close();
      await waitFor(() => aborted, { what: 'signal aborted' });
    });

    it('every: ticks on an interval, never overlapping, logging errors', async () => {
      const logger = recordingLogger();
      const queue = fixture.create({ logger });
      let ticks = 0;
      let inside = 0;
      let most = 0;
      queue.every('slow', 5, async () => {
        ticks += 1;
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setTimeout(resolve, 50));
        inside -= 1;
        if (ticks === 1) throw new Error('first tick fails');
      });
      await waitFor(() => ticks >= 4, { what: 'four ticks' });
      expect(most).toBe(1);
      expect(logger.entries).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: 'scheduled tick failed',
          context: expect.objectContaining({ schedule: 'slow' }),
        }),
      );
      expect(() => queue.every('slow', 5, async () => {})).toThrow(InvalidArgumentError);
    });
  },
);
