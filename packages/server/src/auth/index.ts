// Twitch login, sessions, development login, CSRF and wallet binding.

export { type Handler, HttpError } from '../http.js';
export { type AuthConfig, type AuthConfigInput, resolveAuthConfig, type TwitchClientConfig } from './config.js';
export {
  type Auth,
  type AuthDeps,
  type AuthLog,
  type AuthRateLimits,
  createAuth,
  LOGIN_COOKIE,
} from './create-auth.js';
export { createRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limit.js';
export { CSRF_COOKIE, CSRF_HEADER, readSession, SESSION_COOKIE, type Session } from './session.js';
