// A minimal EventSource over fetch for tests (Node 20 has none): one connection, no automatic reconnect; events,
// ids and comments parsed as the SSE spec says. httpSubscriptionLink takes it as its `EventSource`.

type Listener = (event: { type: string; data?: string; lastEventId?: string }) => void;

/**
 * An EventSource that reads one SSE response; when it ends or fails the source is CLOSED and `error` fires.
 *
 * @example httpSubscriptionLink({ url: `${server.url}/trpc`, EventSource: FetchEventSource })
 */
export class FetchEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 0;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly abort = new AbortController();

  constructor(readonly url: string) {
    void this.read();
  }

  addEventListener(type: string, listener: Listener): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.readyState = this.CLOSED;
    this.abort.abort();
  }

  private dispatch(type: string, data?: string, lastEventId?: string): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener({ type, data, lastEventId });
  }

  private async read(): Promise<void> {
    try {
      const res = await fetch(this.url, { headers: { accept: 'text/event-stream' }, signal: this.abort.signal });
      if (res.status !== 200 || res.body === null) throw new Error(`SSE answered ${res.status}`);
      this.readyState = this.OPEN;
      this.dispatch('open');
      const decoder = new TextDecoder();
      let buffer = '';
      let type = '';
      let data: string[] = [];
      let id = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.search(/\r\n|\n|\r/); end >= 0; end = buffer.search(/\r\n|\n|\r/)) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
          if (line === '') {
            if (data.length > 0) this.dispatch(type || 'message', data.join('\n'), id);
            type = '';
            data = [];
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') type = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') id = value;
        }
      }
    } catch {
      // Closed by us, refused or cut: all end the same way.
    }
    if (this.abort.signal.aborted) return;
    this.readyState = this.CLOSED;
    this.dispatch('error');
  }
}
