// Starts fault servers for one test file and closes them after each test.
import { afterEach } from 'vitest';
import { FaultServer } from './fault-server.js';

/** Returns `start(n)`: n fresh fault servers, closed automatically after the current test. */
export function useFaultServers(): (count: number) => Promise<FaultServer[]> {
  const open: FaultServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (count) => {
    const servers = await Promise.all(Array.from({ length: count }, () => FaultServer.start()));
    open.push(...servers);
    return servers;
  };
}

/** A URL where nothing listens: a server that was started and closed again. */
export async function deadUrl(): Promise<string> {
  const server = await FaultServer.start();
  await server.close();
  return server.url;
}
