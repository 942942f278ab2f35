// Channel discovery: lists live streams from Helix with an app access token. It only proposes channels; an operator
// enables them (channels earn only by opt-in).
import { InvalidArgumentError, parseLogin, parseTwitchUserId } from '@attention-oracle/core';
import { z } from 'zod';
import { TwitchApiError, twitchRequest } from './twitch-api.js';

/** A live channel that could be enabled. */
export interface ChannelProposal {
  /** Numeric Twitch user id of the broadcaster. */
  channelId: string;
  /** Lowercase login. */
  login: string;
  viewerCount: number;
  /** The stream's language (ISO 639-1, or 'other'). */
  language: string;
  /** When the stream started, ISO 8601. */
  startedAt: string;
}

/** Options for {@link discoverChannels}. */
export interface DiscoverChannelsOptions {
  clientId: string;
  clientSecret: string;
  /** How many channels to propose at most (1 to 10,000). */
  limit: number;
  /** Default `https://api.twitch.tv/helix`. */
  helixBaseUrl?: string;
  /** The OAuth host, default `https://id.twitch.tv`. */
  idBaseUrl?: string;
  fetch?: typeof fetch;
  /** The longest Retry-After a 429 may ask for before the call fails instead (default 60 s). */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
}

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number(), token_type: z.string() });
const streamsResponse = z.object({
  data: z.array(
    z.object({
      user_id: z.string(),
      user_login: z.string(),
      viewer_count: z.number().int().nonnegative(),
      language: z.string(),
      started_at: z.string(),
    }),
  ),
  pagination: z.object({ cursor: z.string().optional() }).optional(),
});

/**
 * Proposes up to `limit` live channels, most viewed first: gets an app access token (client credentials) and pages
 * Helix `GET /streams` 100 at a time. Entries with an invalid login or user id are left out (never rewritten).
 * Fails with a {@link TwitchApiError} naming the status and the start of the body on any HTTP error; a 429 is retried
 * once after its Retry-After.
 *
 * @example
 * const proposals = await discoverChannels({ clientId, clientSecret, limit: 500 });
 */
export async function discoverChannels(options: DiscoverChannelsOptions): Promise<ChannelProposal[]> {
  const { limit } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new InvalidArgumentError(`limit must be an integer from 1 to 10000, got ${limit}`);
  }
  const helixBaseUrl = (options.helixBaseUrl ?? 'https://api.twitch.tv/helix').replace(/\/+$/, '');
  const idBaseUrl = (options.idBaseUrl ?? 'https://id.twitch.tv').replace(/\/+$/, '');
  const request = {
    fetch: options.fetch ?? fetch,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    signal: options.signal,
  };

  const token = checkBody(
    tokenResponse,
    'POST /oauth2/token',
    await twitchRequest(request, 'POST /oauth2/token', `${idBaseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: options.clientId,
        client_secret: options.clientSecret,
        grant_type: 'client_credentials',
      }).toString(),
    }),
  );
  const headers = { authorization: `Bearer ${token.access_token}`, 'client-id': options.clientId };

  const proposals = new Map<string, ChannelProposal>();
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ first: String(Math.min(100, limit - proposals.size)) });
    if (cursor !== undefined) query.set('after', cursor);
    const body = await twitchRequest(request, 'GET /streams', `${helixBaseUrl}/streams?${query}`, { headers });
    const page = checkBody(streamsResponse, 'GET /streams', body);
    for (const stream of page.data) {
      const proposal = toProposal(stream);
      // Pages shift while viewer counts change, so a stream can appear twice.
      if (proposal !== null && !proposals.has(proposal.channelId)) proposals.set(proposal.channelId, proposal);
      if (proposals.size >= limit) break;
    }
    cursor = page.data.length > 0 ? page.pagination?.cursor : undefined;
  } while (cursor !== undefined && proposals.size < limit);
  return [...proposals.values()];
}

/** `body` checked against `schema`, or an error naming what did not match. */
function checkBody<T>(schema: z.ZodType<T>, what: string, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const snippet = JSON.stringify(body).slice(0, 300);
  throw new TwitchApiError(
    `Twitch ${what} returned an unexpected body (${z.prettifyError(result.error)}): ${snippet}`,
    200,
    snippet,
  );
}

function toProposal(stream: z.infer<typeof streamsResponse>['data'][number]): ChannelProposal | null {
  try {
    return {
      channelId: parseTwitchUserId(stream.user_id),
      login: parseLogin(stream.user_login),
      viewerCount: stream.viewer_count,
      language: stream.language,
      startedAt: stream.started_at,
    };
  } catch {
    return null;
  }
}
