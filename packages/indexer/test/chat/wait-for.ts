// Waits on conditions instead of on time: this machine is slow and shared, so tests never assert on speed.

/** Polls `condition` until it returns true, failing with `what` after `timeoutMs` (generous by default). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
