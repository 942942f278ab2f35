// The ready check's job queue part: with REDIS_URL, Redis must answer PING (reason in words when not); without it,
// the database check covers the in-database queue. Plus pingRedis on its own: refusals, auth, silence, cleanup.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import { waitFor } from '../../../indexer/test/wait-for.js';
import { pingRedis } from '../../src/observability/redis-ping.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer, testEnv } from '../helpers.js';

const REDIS = 'redis://127.0.0.1:6379';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Ready {
  ready: boolean;
  reasons: string[];
  checks: Record<string, boolean>;
}

describe.each(backends)('ready with a job queue on %s', (_name, open) => {
  const db = useDatabase(open, async () => {});
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const ready = async (env: Record<string, string>) => {
    server = await startTestServer(db(), testEnv(env));
    const res = await fetch(`${server.url}/v1/health/ready`);
    expect(res.status).toBe(200);
    return (await res.json()) as Ready;
  };

  it('fails with the Redis reason when REDIS_URL points at a closed port', async () => {
    const answer = await ready({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    expect(answer.ready).toBe(false);
    expect(answer.checks.queue).toBe(false);
    expect(answer.reasons).toContain('job queue Redis unreachable: connection refused');
  });

  it('passes the queue check against the real Redis', async () => {
    const answer = await ready({ REDIS_URL: REDIS });
    expect(answer.checks.queue).toBe(true);
    expect(answer.checks.database).toBe(true);
    expect(answer.reasons.filter((r) => r.includes('Redis'))).toEqual([]);
  });

  it('has no queue check without REDIS_URL (the database check covers the in-database queue)', async () => {
    const answer = await ready({});
    expect('queue' in answer.checks).toBe(false);
    expect(answer.checks.database).toBe(true);
    expect(answer.reasons.filter((r) => r.includes('Redis'))).toEqual([]);
  });
});

describe('pingRedis', () => {
  let fake: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()));
    fake = undefined;
  });

  /** A TCP server that accepts and never answers; records whether each connection was closed by the client. */
  async function silentServer(): Promise<{ port: number; sockets: Socket[]; closed: () => number }> {
    const sockets: Socket[] = [];
    let closed = 0;
    fake = createServer((socket) => {
      sockets.push(socket);
      socket.resume(); // read (and drop) the PING, so the client's FIN is seen
      socket.on('close', () => {
        closed += 1;
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => fake?.listen(0, '127.0.0.1', resolve));
    return { port: (fake.address() as { port: number }).port, sockets, closed: () => closed };
  }

  it('answers ok from the real Redis, and names a refusal, a bad password and a bad URL', async () => {
    expect(await pingRedis(REDIS, 2000)).toEqual({ ok: true });
    expect(await pingRedis(`${REDIS}/1`, 2000)).toEqual({ ok: true });
    expect(await pingRedis(`redis://127.0.0.1:${await closedPort()}`, 2000)).toEqual({
      ok: false,
      reason: 'connection refused',
    });
    expect(await pingRedis('redis://:wrong-password@127.0.0.1:6379', 2000)).toEqual({
      ok: false,
      reason: 'authentication failed',
    });
    expect(await pingRedis('http://127.0.0.1:6379', 2000)).toEqual({
      ok: false,
      reason: 'REDIS_URL is not a redis:// or rediss:// URL',
    });
  });

  it('gives up on a server that never answers, and closes its connection', async () => {
    const silent = await silentServer();
    expect(await pingRedis(`redis://127.0.0.1:${silent.port}`, 100)).toEqual({
      ok: false,
      reason: 'no answer within 100 ms',
    });
    await waitFor(() => silent.closed() === 1, 'the connection closed');
    expect(silent.sockets).toHaveLength(1);
  });
});
