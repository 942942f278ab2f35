// A chat source the test pushes events into, standing in for Twitch or a replay.
import type { ChatEvent } from '../../src/chat/event.js';
import type { ChatSink, ChatSource } from '../../src/chat/source.js';

export class PushSource implements ChatSource {
  private sink: ChatSink | undefined;
  async start(sink: ChatSink) {
    this.sink = sink;
  }
  async stop() {
    this.sink = undefined;
  }
  stats() {
    return {} as ReturnType<ChatSource['stats']>;
  }
  /** Delivers events as a source would; resolves when the collector has them durably. */
  async push(events: ChatEvent[]) {
    if (!this.sink) throw new Error('source not started');
    await this.sink(events);
  }
}
