// One request to a Twitch HTTP API, with errors that say what failed (status and the start of the body) and one retry
// of a 429 after the time Twitch asks for.
import { sleep } from './sleep-internal.js';

/** An HTTP failure from a Twitch API: the status (0 when no response arrived) and the start of the body. */
export class TwitchApiError extends Error {
  override readonly name = 'TwitchApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How requests are made. */
export interface TwitchRequestOptions {
  fetch: typeof fetch;
  maxRetryAfterMs: number;
  signal?: AbortSignal | undefined;
}

/** Performs one request and returns the parsed JSON body; `what` names it in errors (never with secrets). */
export async function twitchRequest(
  options: TwitchRequestOptions,
  what: string,
  url: string,
  init: RequestInit,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await options.fetch(url, { ...init, signal: options.signal });
    } catch (error) {
      throw new TwitchApiError(`Twitch ${what} failed: ${(error as Error).message}`, 0, '', { cause: error });
    }
    const text = await response.text();
    if (response.status === 429 && attempt === 0) {
      const waitMs = retryAfterMs(response.headers);
      if (waitMs <= options.maxRetryAfterMs) {
        await sleep(waitMs, options.signal);
        continue;
      }
    }
    if (!response.ok) {
      const snippet = text.slice(0, 300);
      throw new TwitchApiError(
        `Twitch ${what} failed: HTTP ${response.status} ${response.statusText}: ${snippet}`,
        response.status,
        snippet,
      );
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new TwitchApiError(
        `Twitch ${what} returned invalid JSON: ${text.slice(0, 300)}`,
        response.status,
        text.slice(0, 300),
        { cause: error },
      );
    }
  }
}

/** The wait a 429 asks for: Retry-After (seconds), else Helix's Ratelimit-Reset (unix seconds), else 1 s. */
function retryAfterMs(headers: Headers): number {
  const retryAfter = Number(headers.get('retry-after'));
  if (headers.has('retry-after') && Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(headers.get('ratelimit-reset'));
  if (headers.has('ratelimit-reset') && Number.isFinite(reset)) return Math.max(0, reset * 1000 - Date.now());
  return 1000;
}
