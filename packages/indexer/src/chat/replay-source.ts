// Plays a recorded file of raw IRC lines through the same parser and normalizer as live chat. `backfill` keeps the
// original times and ids and goes as fast as the sink accepts; `demo` makes the recording look live.
import { access, constants } from 'node:fs/promises';
import { InvalidArgumentError } from '@attention-oracle/core';
import type { ChatEvent } from './event.js';
import { type IrcMessage, parseIrcLine } from './irc.js';
import { normalize } from './normalize.js';
import { createNormalizeContext } from './normalize-context.js';
import { NormalizeStats } from './normalize-result.js';
import { LINE_TOO_LONG, parseReplayLine, readLines } from './replay-file.js';
import { DemoClock, FreshIds, restamp } from './replay-restamp.js';
import { sleep } from './sleep-internal.js';
import {
  type ChatSink,
  type ChatSource,
  type ChatSourceOptions,
  type ChatSourceStats,
  emptySourceStats,
  silentLogger,
} from './source.js';

/** Options for {@link ReplayChatSource}. */
export interface ReplayChatSourceOptions extends ChatSourceOptions {
  /** The file: `<unix ms>\t<raw IRC line>` per line; blank lines and `#` comments are skipped. */
  file: string;
  /**
   * `backfill`: original times and ids, delivered as fast as the sink accepts. `demo`: the first line plays now and
   * the rest keep their spacing (divided by `speed`), each with a fresh id.
   */
  mode: 'backfill' | 'demo';
  /** Demo only: playback speed factor (default 1; 2 plays twice as fast). */
  speed?: number;
  /** Demo only: start over at the end of the file, until stopped. */
  loop?: boolean;
  /** Largest batch handed to the sink (default 500). */
  batchSize?: number;
}

/** A chat source that plays a file. */
export class ReplayChatSource implements ChatSource {
  readonly #options: ReplayChatSourceOptions;
  readonly #stats = emptySourceStats();
  readonly #normalizeStats = new NormalizeStats();
  readonly #stopping = new AbortController();
  #playing: Promise<void> | null = null;

  constructor(options: ReplayChatSourceOptions) {
    const { mode, speed = 1, loop = false, batchSize = 500 } = options;
    if (mode !== 'backfill' && mode !== 'demo') throw new InvalidArgumentError(`unknown replay mode ${String(mode)}`);
    if (!(speed > 0 && Number.isFinite(speed))) throw new InvalidArgumentError(`speed must be a positive number`);
    if (loop && mode !== 'demo') throw new InvalidArgumentError('only demo replays loop (a backfill keeps its ids)');
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError('batchSize must be positive');
    this.#options = options;
  }

  /** Checks that the file is readable and starts playing it in the background. */
  async start(sink: ChatSink): Promise<void> {
    if (this.#playing !== null) throw new InvalidArgumentError('this replay source was already started');
    await access(this.#options.file, constants.R_OK).catch((error: Error) => {
      throw new InvalidArgumentError(`replay file ${this.#options.file} is not readable: ${error.message}`);
    });
    this.#playing = this.#play(sink);
    this.#playing.catch((error: unknown) => {
      (this.#options.logger ?? silentLogger).error({ err: error, file: this.#options.file }, 'replay stopped');
    });
  }

  /** Resolves once the whole file was delivered (a looping demo: once stopped); rejects if reading or the sink failed. */
  done(): Promise<void> {
    return this.#playing ?? Promise.reject(new InvalidArgumentError('this replay source was not started'));
  }

  /** Stops playing; what was already normalized is still delivered. Never rejects. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#playing?.catch(() => {});
  }

  /** The counters (a replay has no connections). */
  stats(): ChatSourceStats {
    return { ...this.#stats, skips: { ...this.#normalizeStats.skips } };
  }

  async #play(sink: ChatSink): Promise<void> {
    const { file, mode, speed = 1, loop = false, batchSize = 500 } = this.#options;
    const signal = this.#stopping.signal;
    const stats = this.#stats;
    const { isExcluded, dedupeWindow } = this.#options;
    const context = createNormalizeContext({ isExcluded, dedupeWindow, stats: this.#normalizeStats });
    let batch: ChatEvent[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const events = batch;
      batch = [];
      try {
        await sink(events);
      } catch (error) {
        stats.sinkErrors++;
        stats.droppedEvents += events.length;
        throw error;
      } finally {
        stats.pendingEvents = 0;
      }
      stats.events += events.length;
    };

    let timedLines = 0;
    do {
      // Each pass of a demo gets its own clock and ids: a loop must not repeat the ids it already delivered.
      const clock = new DemoClock(speed);
      const ids = new FreshIds();
      timedLines = 0;
      try {
        for await (const text of readLines(file, signal)) {
          // The stream stops at the abort, but lines of a chunk already read would still come.
          if (signal.aborted) break;
          const line = this.#read(text);
          if (line === null) continue;
          timedLines++;
          const { at, message } = line;
          if (mode === 'demo') {
            const due = clock.due(at, Date.now());
            if (due > Date.now()) {
              await flush();
              if (!(await sleep(due - Date.now(), signal))) break;
            }
            restamp(message, due, ids);
          } else if (message.tags['tmi-sent-ts'] === undefined) {
            // A recording without Twitch's timestamp falls back on the time it was received.
            message.tags['tmi-sent-ts'] = String(at);
          }
          const result = normalize(message, context);
          if (!('event' in result)) continue;
          batch.push(result.event);
          stats.pendingEvents = batch.length;
          if (batch.length >= batchSize) await flush();
        }
      } catch (error) {
        if (!signal.aborted) throw error;
      }
      await flush();
      // A file without a single valid line would otherwise loop without ever waiting.
    } while (mode === 'demo' && loop && timedLines > 0 && !signal.aborted);
  }

  /** A file line as a timed IRC message; null (counted when malformed) for anything else. */
  #read(text: string | typeof LINE_TOO_LONG): { at: number; message: IrcMessage } | null {
    const line = text === LINE_TOO_LONG ? 'malformed' : parseReplayLine(text);
    if (line === 'skip') return null;
    this.#stats.lines++;
    const message = line === 'malformed' ? null : parseIrcLine(line.raw);
    if (line === 'malformed' || message === null) {
      this.#stats.malformedLines++;
      return null;
    }
    return { at: line.at, message };
  }
}
