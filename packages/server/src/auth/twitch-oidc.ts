// The network side of Twitch login: the authorize URL (state, nonce, PKCE), the code exchange, the id_token check
// against the issuer's JWKS, the Helix user lookup and the token revocation.
import { createHash, randomBytes } from 'node:crypto';
import { parseLogin, parseTwitchUserId } from '@attention-oracle/core';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { HttpError } from '../http.js';
import type { AuthConfig, TwitchClientConfig } from './config.js';

/** What the login cookie remembers between `/auth/login` and `/auth/callback`. */
export interface LoginAttempt {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  /** unix seconds */
  readonly exp: number;
}

/** How long a login attempt may take, in seconds. */
export const LOGIN_ATTEMPT_TTL_SECONDS = 600;

/**
 * A fresh login attempt and the authorize URL to send the browser to (scope `openid`, PKCE S256).
 *
 * @example const { attempt, url } = beginLogin(config, twitch, Date.now());
 */
export function beginLogin(
  config: AuthConfig,
  twitch: TwitchClientConfig,
  nowMs: number,
): { attempt: LoginAttempt; url: string } {
  const attempt: LoginAttempt = {
    state: randomBytes(24).toString('base64url'),
    nonce: randomBytes(24).toString('base64url'),
    verifier: randomBytes(48).toString('base64url'),
    exp: Math.floor(nowMs / 1000) + LOGIN_ATTEMPT_TTL_SECONDS,
  };
  const url = new URL(config.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: twitch.clientId,
    redirect_uri: twitch.redirectUri,
    scope: 'openid',
    state: attempt.state,
    nonce: attempt.nonce,
    code_challenge: createHash('sha256').update(attempt.verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return { attempt, url: url.toString() };
}

/** The issuer's token answer (the parts we use). */
export interface TokenSet {
  readonly accessToken: string;
  readonly idToken: string;
}

/**
 * Exchanges the authorization code at the token endpoint (with the PKCE verifier).
 *
 * @example const tokens = await exchangeCode(config, twitch, code, attempt.verifier);
 */
export async function exchangeCode(
  config: AuthConfig,
  twitch: TwitchClientConfig,
  code: string,
  verifier: string,
): Promise<TokenSet> {
  const response = await post(config.tokenUrl, {
    client_id: twitch.clientId,
    client_secret: twitch.clientSecret,
    code,
    grant_type: 'authorization_code',
    redirect_uri: twitch.redirectUri,
    code_verifier: verifier,
  });
  if (!response.ok) {
    if (response.status >= 400 && response.status < 500) {
      throw new HttpError(400, 'LOGIN_FAILED', `the issuer refused the authorization code (${response.status})`);
    }
    throw new HttpError(502, 'UPSTREAM_UNAVAILABLE', `the issuer's token endpoint answered ${response.status}`);
  }
  const body = (await response.json().catch(() => null)) as { access_token?: unknown; id_token?: unknown } | null;
  if (typeof body?.access_token !== 'string' || typeof body.id_token !== 'string') {
    throw new HttpError(502, 'UPSTREAM_UNAVAILABLE', 'the issuer answered without an access_token and id_token');
  }
  return { accessToken: body.access_token, idToken: body.id_token };
}

/** An id_token verifier bound to one JWKS (keys are fetched once and cached by jose). */
export type IdTokenVerifier = (idToken: string, nonce: string) => Promise<{ userId: string }>;

/**
 * A verifier of id_tokens: signature against the issuer's JWKS, `iss`, `aud` (our client id), `exp`, and `nonce`.
 * Returns the Twitch user id (`sub`).
 *
 * @example const verify = createIdTokenVerifier(config, twitch); const { userId } = await verify(idToken, nonce);
 */
export function createIdTokenVerifier(config: AuthConfig, twitch: TwitchClientConfig): IdTokenVerifier {
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl));
  return async (idToken, nonce) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(idToken, jwks, {
        issuer: config.issuerUrl,
        audience: twitch.clientId,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) {
        throw new HttpError(401, 'ID_TOKEN_INVALID', `id_token rejected: ${error.message}`);
      }
      throw new HttpError(502, 'UPSTREAM_UNAVAILABLE', "the issuer's signing keys could not be fetched");
    }
    if (payload.nonce !== nonce) throw new HttpError(401, 'ID_TOKEN_INVALID', 'id_token rejected: nonce mismatch');
    try {
      return { userId: parseTwitchUserId(String(payload.sub)) };
    } catch {
      throw new HttpError(401, 'ID_TOKEN_INVALID', 'id_token rejected: sub is not a Twitch user id');
    }
  };
}

/**
 * The login of the token's user from Helix `GET /users` (checked to be the same user as the id_token's).
 *
 * @example const login = await fetchHelixLogin(config, twitch, tokens.accessToken, userId);
 */
export async function fetchHelixLogin(
  config: AuthConfig,
  twitch: TwitchClientConfig,
  accessToken: string,
  userId: string,
): Promise<string> {
  const response = await fetch(`${config.helixBaseUrl}/users`, {
    headers: { authorization: `Bearer ${accessToken}`, 'client-id': twitch.clientId },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new HttpError(502, 'UPSTREAM_UNAVAILABLE', `Helix /users answered ${response.status}`);
  const body = (await response.json().catch(() => null)) as { data?: { id?: unknown; login?: unknown }[] } | null;
  const user = body?.data?.[0];
  if (user === undefined || user.id !== userId || typeof user.login !== 'string') {
    throw new HttpError(502, 'UPSTREAM_UNAVAILABLE', 'Helix /users did not describe the logged-in user');
  }
  try {
    return parseLogin(user.login);
  } catch {
    throw new HttpError(502, 'UPSTREAM_UNAVAILABLE', 'Helix /users answered an invalid login');
  }
}

/**
 * Revokes the access token at the issuer (we keep no Twitch token). Resolves whether the issuer accepted it.
 *
 * @example await revokeToken(config, twitch, tokens.accessToken);
 */
export async function revokeToken(config: AuthConfig, twitch: TwitchClientConfig, token: string): Promise<boolean> {
  const response = await post(config.revokeUrl, { client_id: twitch.clientId, token });
  return response.ok;
}

function post(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(10_000),
  });
}
