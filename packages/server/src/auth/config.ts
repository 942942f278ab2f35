// Settings of Twitch login, sessions and wallet binding.
import { InvalidArgumentError } from '@attention-oracle/core';

/** Twitch OIDC client settings; absent when Twitch login is not configured (development login then). */
export interface TwitchClientConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Our callback URL registered with Twitch, e.g. `https://app.example/auth/callback`. */
  readonly redirectUri: string;
}

/** Everything {@link createAuth} needs to know. */
export interface AuthConfig {
  /** The OIDC issuer (`iss` of id_tokens). Default https://id.twitch.tv/oauth2. */
  readonly issuerUrl: string;
  /** Endpoints; default `<issuer>/authorize`, `/token`, `/revoke`, `/keys` (Twitch's layout). */
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string;
  readonly jwksUrl: string;
  /** Helix base URL. Default https://api.twitch.tv/helix. */
  readonly helixBaseUrl: string;
  /** Null: development login only (refused when `production`). */
  readonly twitch: TwitchClientConfig | null;
  /** HMAC key of session, state and CSRF cookies; at least 32 characters. */
  readonly cookieSecret: string;
  /** Session lifetime in seconds. Default 7 days. */
  readonly sessionTtlSeconds: number;
  /** Whether cookies carry `Secure` (true behind HTTPS). */
  readonly secureCookies: boolean;
  /** The domain named in wallet challenges, e.g. `app.example`. */
  readonly challengeDomain: string;
  /** Wallet challenge lifetime in seconds. Default 300. */
  readonly challengeTtlSeconds: number;
  /** Where the browser goes after a successful Twitch login. Default `/`. */
  readonly afterLoginUrl: string;
  /** `NODE_ENV`; development login is refused when `production`. */
  readonly nodeEnv: string;
}

/** What callers must give; the rest has defaults. */
export type AuthConfigInput = Partial<AuthConfig> & Pick<AuthConfig, 'cookieSecret' | 'nodeEnv'>;

/**
 * Fills in defaults and checks the settings.
 *
 * @example const config = resolveAuthConfig({ cookieSecret: env.cookieSecret, nodeEnv: env.nodeEnv, twitch: null });
 */
export function resolveAuthConfig(input: AuthConfigInput): AuthConfig {
  if (typeof input.cookieSecret !== 'string' || input.cookieSecret.length < 32) {
    throw new InvalidArgumentError('cookieSecret must be a string of at least 32 characters');
  }
  const issuerUrl = (input.issuerUrl ?? 'https://id.twitch.tv/oauth2').replace(/\/+$/, '');
  const config: AuthConfig = {
    issuerUrl,
    authorizeUrl: input.authorizeUrl ?? `${issuerUrl}/authorize`,
    tokenUrl: input.tokenUrl ?? `${issuerUrl}/token`,
    revokeUrl: input.revokeUrl ?? `${issuerUrl}/revoke`,
    jwksUrl: input.jwksUrl ?? `${issuerUrl}/keys`,
    helixBaseUrl: (input.helixBaseUrl ?? 'https://api.twitch.tv/helix').replace(/\/+$/, ''),
    twitch: input.twitch ?? null,
    cookieSecret: input.cookieSecret,
    sessionTtlSeconds: input.sessionTtlSeconds ?? 7 * 24 * 3600,
    secureCookies: input.secureCookies ?? false,
    challengeDomain: input.challengeDomain ?? 'localhost',
    challengeTtlSeconds: input.challengeTtlSeconds ?? 300,
    afterLoginUrl: input.afterLoginUrl ?? '/',
    nodeEnv: input.nodeEnv,
  };
  for (const key of ['authorizeUrl', 'tokenUrl', 'revokeUrl', 'jwksUrl', 'helixBaseUrl', 'issuerUrl'] as const) {
    if (!URL.canParse(config[key]))
      throw new InvalidArgumentError(`${key} must be an absolute URL, got ${config[key]}`);
  }
  if (typeof config.nodeEnv !== 'string') throw new InvalidArgumentError('nodeEnv must be given (NODE_ENV)');
  if (config.twitch !== null) {
    const { clientId, clientSecret, redirectUri } = config.twitch;
    if (!clientId || !clientSecret)
      throw new InvalidArgumentError('twitch.clientId and twitch.clientSecret are required');
    if (!URL.canParse(redirectUri)) throw new InvalidArgumentError(`twitch.redirectUri must be an absolute URL`);
  }
  for (const key of ['sessionTtlSeconds', 'challengeTtlSeconds'] as const) {
    if (!Number.isSafeInteger(config[key]) || config[key] <= 0) {
      throw new InvalidArgumentError(`${key} must be a positive integer, got ${config[key]}`);
    }
  }
  return config;
}
