#!/usr/bin/env node
// The operator CLI of the indexer: run a collector or the workers, manage channels, import history, seal, report.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { toHex } from '@attention-oracle/core';
import { openDatabase } from '@attention-oracle/db';
import { createRpcClient } from '@attention-oracle/sdk';
import { PublicKey } from '@solana/web3.js';
import { SingleBar } from 'cli-progress';
import pino from 'pino';
import { disableChannel, enableChannels, enabledChannelLogins } from './channels/channels.js';
import { watchExclusions } from './channels/exclusions.js';
import { discoverChannels } from './chat/discovery.js';
import { ReplayChatSource } from './chat/replay-source.js';
import type { ChatSource } from './chat/source.js';
import { TwitchChatSource } from './chat/twitch-source.js';
import { startCollector } from './collector/collector.js';
import { type IndexerEnv, loadEnv, parsePolicyParams } from './env.js';
import {
  importBackfill,
  importPaidAmounts,
  lateEventReport,
  type SealPolicy,
  sealReadyEpochs,
} from './epochs/index.js';
import { createJobQueue } from './jobs/index.js';
import { verifyRootAgainstChain } from './roots/verify-root.js';
import { startWorkers } from './worker.js';

const USAGE = `usage: indexer <command>
  collect [--replay <file> [--mode backfill|demo]]   read chat (enabled channels, or a replay file) into the database
  work                                               run aggregation, sealing, retention and discovery jobs
  channels list | enable <login>... | disable <login>
  backfill <file> [--format csv|jsonl]              import historical participation and seal it
  import-paid <file>                                 import amounts an older system already paid (viewer,amount,source)
  seal                                               seal every epoch that is ready, in order
  late                                               report events that arrived after their epoch sealed
  discover [--limit n]                               propose live channels from Helix (enables none)
  verify-root <dataset>                              rebuild a dataset's root and compare it with the chain (SOLANA_RPC_URL)
  migrate                                            apply database migrations`;

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      replay: { type: 'string' },
      mode: { type: 'string' },
      format: { type: 'string' },
      limit: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || command === 'help') return console.log(USAGE);
  const env = loadEnv();
  const log = pino({ level: env.LOG_LEVEL });
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : env.PGLITE_DIR,
  });
  const policy = { id: env.POLICY_ID, params: parsePolicyParams(env.POLICY_PARAMS) } as unknown as SealPolicy;
  const sealOptions = {
    epochSeconds: env.EPOCH_SECONDS,
    graceSeconds: env.SEAL_GRACE_SECONDS,
    deadAfterSeconds: env.COLLECTOR_DEAD_AFTER_SECONDS,
    policy,
  };
  const withProgress = async <T>(label: string, run: (tick: (done: number, total?: number) => void) => Promise<T>) => {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% {value}/{total} bytes`,
      stream: process.stderr,
    });
    bar.start(1, 0);
    try {
      return await run((done, total) => {
        if (total !== undefined) bar.setTotal(total);
        bar.update(done);
      });
    } finally {
      bar.stop();
    }
  };
  try {
    switch (command) {
      case 'migrate':
        return console.log('migrations applied');
      case 'channels': {
        const [action, ...logins] = rest;
        if (action === 'enable')
          return console.log(`enabled: ${(await enableChannels(db, logins, 'cli')).join(', ') || 'none new'}`);
        if (action === 'disable')
          return console.log((await disableChannel(db, logins[0] ?? '', 'cli')) ? 'disabled' : 'no such channel');
        return console.log((await enabledChannelLogins(db)).join('\n'));
      }
      case 'backfill': {
        const format = values.format as 'csv' | 'jsonl' | undefined;
        const result = await withProgress('backfill', (onProgress) =>
          importBackfill(db, requireFile(rest), {
            epochSeconds: env.EPOCH_SECONDS,
            policy,
            format,
            onProgress,
            actor: 'cli',
          }),
        );
        return console.log(`imported ${result.rows} rows; sealed ${result.sealed.length} epochs`);
      }
      case 'import-paid': {
        const result = await withProgress('paid', (onProgress) =>
          importPaidAmounts(db, requireFile(rest), { actor: 'cli', onProgress }),
        );
        return console.log(`imported ${result.inserted} of ${result.rows} paid amounts`);
      }
      case 'seal': {
        const result = await sealReadyEpochs(db, { ...sealOptions, now: Date.now(), actor: 'cli' });
        for (const s of result.sealed)
          console.log(`sealed ${s.epoch}: ${s.allocationCount} allocations, total ${s.total}`);
        if (result.waiting) console.log(`waiting: ${result.waiting.reason}`);
        else if (result.sealed.length === 0) console.log('nothing to seal');
        return;
      }
      case 'late':
        return console.table(await lateEventReport(db));
      case 'discover': {
        if (!env.TWITCH_CLIENT_ID || !env.TWITCH_CLIENT_SECRET)
          throw new Error('discover needs TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET');
        const proposals = await discoverChannels({
          clientId: env.TWITCH_CLIENT_ID,
          clientSecret: env.TWITCH_CLIENT_SECRET,
          limit: Number(values.limit ?? 100),
        });
        return console.table(proposals);
      }
      case 'verify-root': {
        if (env.SOLANA_RPC_URL.length === 0) throw new Error('verify-root needs SOLANA_RPC_URL');
        const programId = env.ATTENTION_ORACLE_PROGRAM_ID ? new PublicKey(env.ATTENTION_ORACLE_PROGRAM_ID) : undefined;
        const client = createRpcClient({ urls: env.SOLANA_RPC_URL });
        const result = await verifyRootAgainstChain(await readFile(requireFile(rest)), client, { programId });
        console.log(
          `dataset: root_seq ${result.dataset.rootSeq}, ${result.dataset.count} wallets, root ${toHex(result.dataset.root)}`,
        );
        for (const problem of result.problems) console.log(`MISMATCH ${problem}`);
        if (result.ok) console.log(`OK: matches ${result.account} on chain`);
        else process.exitCode = 1;
        return;
      }
      case 'collect':
        return await collect(env, db, log, values.replay, values.mode);
      case 'work': {
        const queue = createJobQueue({ db, redisUrl: env.REDIS_URL, logger: log });
        const twitch =
          env.TWITCH_CLIENT_ID && env.TWITCH_CLIENT_SECRET
            ? { clientId: env.TWITCH_CLIENT_ID, clientSecret: env.TWITCH_CLIENT_SECRET }
            : undefined;
        startWorkers(db, queue, {
          ...sealOptions,
          retentionDays: env.RETENTION_DAYS,
          twitch,
          log: (m, d) => log.info(d ?? {}, m),
        });
        log.info({ queue: queue.kind }, 'workers started');
        await untilSignal();
        await queue.close();
        return;
      }
      default:
        throw new Error(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
    }
  } finally {
    await db.close();
  }
}

async function collect(
  env: IndexerEnv,
  db: Awaited<ReturnType<typeof openDatabase>>,
  log: pino.Logger,
  replay?: string,
  mode?: string,
) {
  if (env.TWITCH_CHANNELS.length > 0) await enableChannels(db, env.TWITCH_CHANNELS, 'config');
  const exclusions = await watchExclusions(db, 60_000, (error) =>
    log.warn({ err: error }, 'exclusions refresh failed'),
  );
  let source: ChatSource;
  if (replay) {
    if (mode !== undefined && mode !== 'backfill' && mode !== 'demo')
      throw new Error('--mode must be backfill or demo');
    source = new ReplayChatSource({
      file: replay,
      mode: mode ?? 'backfill',
      isExcluded: exclusions.isExcluded,
      logger: log,
    });
  } else {
    const channels = await enabledChannelLogins(db);
    if (channels.length === 0)
      throw new Error('no enabled channels: set TWITCH_CHANNELS or run `indexer channels enable <login>`');
    const endpoint = env.TWITCH_IRC_SERVER
      ? {
          host: env.TWITCH_IRC_SERVER,
          port: env.TWITCH_IRC_PORT ?? (env.TWITCH_IRC_SECURE ? 443 : 80),
          secure: env.TWITCH_IRC_SECURE,
        }
      : undefined;
    source = new TwitchChatSource({ channels, endpoint, isExcluded: exclusions.isExcluded, logger: log });
  }
  const collector = await startCollector(source, {
    collectorId: env.COLLECTOR_ID,
    spoolDir: env.SPOOL_DIR,
    db,
    epochSeconds: env.EPOCH_SECONDS,
    watermarkClock: replay && mode !== 'demo' ? 'event' : 'receive',
    onError: (error) => log.warn({ err: error }, 'collector error'),
  });
  log.info({ collector: env.COLLECTOR_ID, replay: replay ?? null }, 'collector started');
  await (source instanceof ReplayChatSource && mode !== 'demo'
    ? Promise.race([source.done(), untilSignal()])
    : untilSignal());
  await collector.stop();
  exclusions.stop();
  log.info(collector.stats(), 'collector stopped');
}

function requireFile(rest: string[]): string {
  if (!rest[0]) throw new Error('a file path is required');
  return rest[0];
}

const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`indexer: ${error.message}`);
  process.exitCode = 1;
});
