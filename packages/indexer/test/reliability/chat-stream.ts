// A steady stream of chat messages from the fake IRC server, and condition polling for the reliability tests.
import { randomUUID } from 'node:crypto';
import { type FakeIrcServer, privmsg } from '../fake-irc-server.js';

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. Tests wait on conditions, never on time. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * PRIVMSG lines round-robin over `channels`, from a pool of viewers, each with a fresh id. `sent` lists every id
 * handed to the server, whether or not a connection was joined to receive it: nothing outside it may ever be stored.
 */
export class ChatStream {
  readonly sent: string[] = [];
  /** Wall-clock time of the last line sent (unix ms). */
  lastSentAt = 0;
  #loop: Promise<void> | null = null;
  #stopping = false;

  constructor(
    private readonly server: FakeIrcServer,
    private readonly channels: readonly string[],
  ) {}

  /** Sends `count` lines at once. */
  burst(count: number): void {
    for (let i = 0; i < count; i++) {
      const n = this.sent.length;
      const channel = this.channels[n % this.channels.length] as string;
      const viewer = 1000 + (n % 97);
      const id = randomUUID();
      this.sent.push(id);
      this.server.send(
        channel,
        privmsg({ channel, roomId: this.server.roomIdOf(channel), login: `viewer${viewer}`, userId: `${viewer}`, id }),
      );
    }
    this.lastSentAt = Date.now();
  }

  /** Keeps sending small bursts in the background until `stop()`: chat that does not pause for anyone. */
  start(burstSize = 10, pauseMs = 5): void {
    if (this.#loop !== null) throw new Error('the chat stream is already running');
    this.#stopping = false;
    this.#loop = (async () => {
      while (!this.#stopping) {
        this.burst(burstSize);
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    })();
  }

  /** Lets the stream run until `count` more lines have been sent. */
  async sendMore(count: number, timeoutMs = 60_000): Promise<void> {
    const target = this.sent.length + count;
    await waitUntil(() => this.sent.length >= target, `${count} more chat lines`, timeoutMs);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#loop;
    this.#loop = null;
  }
}
