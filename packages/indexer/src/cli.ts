#!/usr/bin/env node
// The operator CLI of the indexer: run a collector or the workers, manage channels, import history, seal, report.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { toHex } from '@attention-oracle/core';
import { createParallelTreeBuilder } from '@attention-oracle/core/node';
import { openDatabase } from '@attention-oracle/db';
import { SingleBar } from 'cli-progress';
import pino from 'pino';
import { exclusionsCommand } from './admin/exclusions.js';
import { type ChainContext, directSettlementNote, resolveChainContext } from './chain-context.js';
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
import {
  apiKeyCommand,
  correctionsCommand,
  externalCreditsCommand,
  type LedgerCommandContext,
  ledgerCredit,
  legacyCommand,
  treasuryCheck,
  walletsCommand,
} from './ledger/commands.js';
import {
  chainWatchOnce,
  markUnpublishable,
  parseRootRef,
  type RootsCommandContext,
  rootsBuild,
  rootsExport,
  rootsImport,
  rootsInspect,
  rootsList,
  rootsPublish,
} from './roots/index.js';
import { verifyRootAgainstChain } from './roots/verify-root.js';
import { claimsCommand } from './settlement/commands.js';
import { startWorkers } from './worker.js';

const USAGE = `usage: indexer <command>
  collect [--replay <file> [--mode backfill|demo]]   read chat (enabled channels, or a replay file) into the database
  work                                               run aggregation, sealing, retention and discovery jobs
  channels list | enable <login>... | disable <login>
  suppressions add <userId> --reason <text> | remove <userId> | list [--limit n]   viewer opt-outs
  bots add <userId> [login] | remove <userId> | list [--limit n]   known bots (dropped at collection and sealing)
  backfill <file> [--format csv|jsonl]              import historical participation and seal it
  import-paid <file>                                 import amounts an older system already paid (viewer,amount,source)
  seal                                               seal every epoch that is ready, in order
  late                                               report events that arrived after their epoch sealed
  discover [--limit n]                               propose live channels from Helix (enables none)
  verify-root <dataset>                              rebuild a dataset's root and compare it with the chain (SOLANA_RPC_URL)
  migrate                                            apply database migrations
ledger:
  credit                                             credit every sealed epoch not yet in the ledger
  wallets bind <userId> <address> | show <userId>    bind a wallet as an operator; a viewer's binding history
  corrections add <viewer> --amount=<n> --reason <text>   positive: credited now; negative: withheld from future credit
  legacy join <userId> <login>                       join data imported under a login's legacy hash to the user id
  external-credits import <file> --root-seq <n> --source <name>   V5 base yield (wallet,base_yield) for a root
  treasury check                                     outstanding entitlement against the treasury balance
  api-key create-admin | create <name> --scopes a,b | list | revoke <id|prefix>
roots and settlement (SOLANA_RPC_URL):
  roots build | publish [--root-id n] | list [--limit n] | inspect <seq|id:n> | export <seq|id:n> <file> | import <file>
  chain-watch                                        record the program's root and claim events since the last run
  claims list [--wallet w] [--status s] [--limit n] | reconcile | pay <address>   direct settlement`;

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      replay: { type: 'string' },
      mode: { type: 'string' },
      format: { type: 'string' },
      limit: { type: 'string' },
      'root-id': { type: 'string' },
      'root-seq': { type: 'string' },
      source: { type: 'string' },
      amount: { type: 'string' },
      reason: { type: 'string' },
      scopes: { type: 'string' },
      wallet: { type: 'string' },
      status: { type: 'string' },
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
      format: `${label} [{bar}] {percentage}% {value}/{total}`,
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
  const print = (line: string) => console.log(line);
  const chain = (options?: { publisher?: boolean }) => resolveChainContext(env, options);
  const ledger: LedgerCommandContext = { db, log: print, chain, progress: withProgress };
  const roots = async (publisher: boolean): Promise<RootsCommandContext & ChainContext> => ({
    ...(await chain({ publisher })),
    db,
    log: print,
    progress: process.stderr,
  });
  try {
    switch (command) {
      case 'credit':
        return await ledgerCredit(ledger);
      case 'wallets':
        return await walletsCommand(ledger, rest);
      case 'corrections':
        return await correctionsCommand(ledger, rest, values);
      case 'legacy':
        return await legacyCommand(ledger, rest);
      case 'external-credits':
        return await externalCreditsCommand(ledger, rest, { rootSeq: values['root-seq'], source: values.source });
      case 'treasury':
        if (rest[0] !== 'check') throw new Error('usage: treasury check');
        if (!(await treasuryCheck(ledger))) process.exitCode = 1;
        return;
      case 'api-key':
        return await apiKeyCommand(ledger, rest, values);
      case 'suppressions':
      case 'bots':
        return await exclusionsCommand({ db, log: print }, command, rest, values);
      case 'claims':
        return await claimsCommand(
          {
            db,
            log: print,
            chain: () => chain(),
            caps: {
              perClaim: env.DIRECT_MAX_PER_CLAIM,
              perWalletPerDay: env.DIRECT_MAX_PER_WALLET_PER_DAY,
              perDay: env.DIRECT_MAX_PER_DAY,
            },
          },
          rest,
          values,
        );
      case 'roots':
        return await rootsCommand(await roots(rest[0] === 'publish'), rest, values);
      case 'chain-watch':
        return await chainWatchOnce(await roots(false));
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
        const { client, programId } = await chain();
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
        const chainContext = env.SOLANA_RPC_URL.length > 0 ? await chain({ publisher: true }) : undefined;
        const builder = chainContext ? await createParallelTreeBuilder() : undefined;
        startWorkers(db, queue, {
          ...sealOptions,
          retentionDays: env.RETENTION_DAYS,
          twitch,
          log: (m, d) => log.info(d ?? {}, m),
          chain: chainContext && {
            chain: chainContext,
            rootIntervalMs: env.ROOT_INTERVAL_SECONDS * 1000,
            builder,
          },
        });
        log.info(
          { queue: queue.kind, settlement: chainContext?.settlement ?? 'none (SOLANA_RPC_URL not set)' },
          chainContext ? `workers started: ${chainContext.settlementReason}` : 'workers started',
        );
        await untilSignal();
        await queue.close();
        await builder?.close();
        return;
      }
      default:
        throw new Error(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
    }
  } finally {
    await db.close();
  }
}

async function rootsCommand(
  context: RootsCommandContext & ChainContext,
  [action, ...args]: string[],
  values: { 'root-id'?: string | undefined; limit?: string | undefined },
) {
  switch (action) {
    case 'build': {
      const builder = await createParallelTreeBuilder();
      try {
        await rootsBuild({ ...context, builder });
        if (context.settlement === 'direct') {
          await markUnpublishable(context.db.query, context.mint.toBytes(), directSettlementNote(context));
          console.log(directSettlementNote(context));
        }
        return;
      } finally {
        await builder.close();
      }
    }
    case 'publish': {
      if (context.settlement === 'direct') {
        return console.log(
          `settlement is direct (${context.settlementReason}): roots are built and proofs served, not published`,
        );
      }
      const rootId = values['root-id'] === undefined ? undefined : Number(values['root-id']);
      if ((await rootsPublish(context, { rootId })) === 'alarm') process.exitCode = 1;
      return;
    }
    case 'list':
      return await rootsList(context, { limit: values.limit === undefined ? undefined : Number(values.limit) });
    case 'inspect':
      return await rootsInspect(context, parseRootRef(args[0] ?? ''));
    case 'export':
      return await rootsExport(context, { ref: parseRootRef(args[0] ?? ''), file: requireFile(args.slice(1)) });
    case 'import':
      return await rootsImport(context, { file: requireFile(args), actor: 'cli' });
    default:
      throw new Error(`unknown roots command ${JSON.stringify(action)}\n${USAGE}`);
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
