// The chat collection layer: sources (live Twitch IRC, replay files), the line parser and normalizer they share, and
// channel discovery.
export { type ChannelProposal, type DiscoverChannelsOptions, discoverChannels } from './discovery.js';
export type { ChatEvent, ChatEventKind } from './event.js';
export { type IrcMessage, parseIrcLine, prefixNick, unescapeTagValue } from './irc.js';
export { normalize } from './normalize.js';
export { createNormalizeContext, type NormalizeContext, type NormalizeContextOptions } from './normalize-context.js';
export { type NormalizeResult, NormalizeStats, SKIP_REASONS, type SkipReason } from './normalize-result.js';
export { parseReplayLine, type ReplayLine } from './replay-file.js';
export { ReplayChatSource, type ReplayChatSourceOptions } from './replay-source.js';
export {
  type ChatLogger,
  type ChatSink,
  type ChatSource,
  type ChatSourceOptions,
  type ChatSourceStats,
  silentLogger,
} from './source.js';
export { TwitchApiError } from './twitch-api.js';
export type { TwitchEndpoint } from './twitch-connection.js';
export { TWITCH_IRC_ENDPOINT, TwitchChatSource, type TwitchChatSourceOptions } from './twitch-source.js';
export { parseUuid, uuidFromContent } from './uuid.js';
