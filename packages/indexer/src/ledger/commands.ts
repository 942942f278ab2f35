// The operator's ledger commands: credit, wallets, corrections, legacy joins, external credits, treasury, API keys.
// Each prints plain lines through `log`.
import { base58Decode, base58Encode, legacyLoginKey, parseLogin } from '@attention-oracle/core';
import type { DatabaseHandle } from '@attention-oracle/db';
import {
  API_KEY_SCOPES,
  type ApiKeyScope,
  createApiKey,
  createFirstAdminKey,
  listApiKeys,
  revokeApiKey,
} from '../admin/index.js';
import type { ChainContext } from '../chain-context.js';
import { bindWallet } from './bind-wallet.js';
import { bindingHistory } from './bindings.js';
import { addCorrection } from './corrections.js';
import { creditSealedEpochs } from './credit-sealed-epochs.js';
import { importExternalCredits } from './external-credits.js';
import { joinLegacyViewer } from './legacy-join.js';
import { checkTreasuryCoverage } from './treasury-coverage.js';

/** What the ledger commands need. `chain` is resolved only by the commands that talk to the chain. */
export interface LedgerCommandContext {
  readonly db: DatabaseHandle;
  readonly log: (line: string) => void;
  readonly chain: () => Promise<ChainContext>;
  /** A progress callback factory for long work (the CLI draws a bar). */
  readonly progress: <T>(
    label: string,
    run: (tick: (done: number, total?: number) => void) => Promise<T>,
  ) => Promise<T>;
}

const userId = (text: string | undefined): bigint => {
  if (!text || !/^[1-9][0-9]{0,19}$/.test(text))
    throw new Error(`expected a Twitch user id, got ${JSON.stringify(text)}`);
  return BigInt(text);
};

const wallet = (text: string | undefined): Uint8Array => {
  const bytes = text ? base58Decode(text) : undefined;
  if (bytes?.length !== 32) throw new Error(`expected a base58 wallet address, got ${JSON.stringify(text)}`);
  return bytes;
};

/**
 * `credit`: credits every sealed epoch not yet in the ledger.
 *
 * @example await ledgerCredit(context);
 */
export async function ledgerCredit(context: LedgerCommandContext): Promise<void> {
  const result = await context.progress('credit epochs', (tick) =>
    creditSealedEpochs(context.db, { actor: 'cli', onProgress: tick }),
  );
  context.log(
    `credited ${result.epochs} epochs: ${result.credited} to wallets, ${result.waiting} waiting for a wallet`,
  );
}

/**
 * `wallets bind <userId> <wallet>` and `wallets show <userId>`.
 *
 * @example await walletsCommand(context, ['show', '12345']);
 */
export async function walletsCommand(context: LedgerCommandContext, args: string[]): Promise<void> {
  const [action, user, address] = args;
  if (action === 'bind') {
    const result = await bindWallet(context.db, {
      userId: userId(user),
      wallet: wallet(address),
      via: 'admin',
      actor: 'cli',
    });
    return context.log(
      `bound ${address} to ${user} (binding ${result.bindingId}${result.first ? ', first' : ''}); moved ${result.movedCredit} waiting credit`,
    );
  }
  if (action === 'show') {
    const history = await bindingHistory(context.db.query, userId(user));
    if (history.length === 0) return context.log(`${user} has never bound a wallet`);
    for (const b of history) {
      const until = b.unboundAt ? `until ${b.unboundAt.toISOString()}` : 'active';
      context.log(`${base58Encode(b.wallet)} via ${b.via} from ${b.boundAt.toISOString()} ${until}`);
    }
    return;
  }
  throw new Error('usage: wallets bind <userId> <wallet> | wallets show <userId>');
}

/**
 * `corrections add <viewer> --amount=<n> --reason <text>`: positive credits now, negative is withheld from future credit.
 *
 * @example await correctionsCommand(context, ['add', '12345'], { amount: '-500', reason: 'double-counted raid' });
 */
export async function correctionsCommand(
  context: LedgerCommandContext,
  args: string[],
  options: { amount?: string | undefined; reason?: string | undefined },
): Promise<void> {
  const [action, viewer] = args;
  if (action !== 'add' || !viewer || !options.amount || !/^-?[0-9]{1,20}$/.test(options.amount) || !options.reason) {
    throw new Error('usage: corrections add <viewer> --amount=<signed base units> --reason "<why>"');
  }
  const result = await addCorrection(context.db, {
    viewer,
    amount: BigInt(options.amount),
    reason: options.reason,
    actor: 'cli',
  });
  context.log(
    result.kind === 'credit'
      ? `correction ${result.correctionId}: credited ${options.amount} to ${viewer}`
      : `correction ${result.correctionId}: ${options.amount.slice(1)} withheld from ${viewer}'s future credit`,
  );
}

/**
 * `legacy join <userId> <login>`: joins data imported under the login's legacy hash to the user id.
 *
 * @example await legacyCommand(context, ['join', '12345', 'some_viewer']);
 */
export async function legacyCommand(context: LedgerCommandContext, args: string[]): Promise<void> {
  const [action, user, login] = args;
  if (action !== 'join' || !login) throw new Error('usage: legacy join <userId> <login>');
  const result = await joinLegacyViewer(context.db, {
    userId: userId(user),
    loginHash: legacyLoginKey(parseLogin(login)),
    actor: 'cli',
  });
  context.log(
    result.joined
      ? `joined ${result.viewer} to ${user}; moved ${result.movedCredit} waiting credit`
      : `${result.viewer} was already joined to ${user}`,
  );
}

/**
 * `external-credits import <file> --root-seq <n> --source <name>`: V5 base yield for a root.
 *
 * @example await externalCreditsCommand(context, ['import', 'base-yield-12.csv'], { rootSeq: '12', source: 'staking' });
 */
export async function externalCreditsCommand(
  context: LedgerCommandContext,
  args: string[],
  options: { rootSeq?: string | undefined; source?: string | undefined },
): Promise<void> {
  const [action, file] = args;
  if (
    action !== 'import' ||
    !file ||
    !options.rootSeq ||
    !/^[1-9][0-9]{0,18}$/.test(options.rootSeq) ||
    !options.source
  ) {
    throw new Error('usage: external-credits import <file> --root-seq <n> --source <name>');
  }
  const result = await context.progress('external credits', (tick) =>
    importExternalCredits(context.db, file, {
      rootSeq: BigInt(options.rootSeq as string),
      source: options.source as string,
      actor: 'cli',
      onProgress: tick,
    }),
  );
  context.log(
    result.imported
      ? `imported base yield for root ${result.rootSeq}: ${result.wallets} wallets, total ${result.total}`
      : `root ${result.rootSeq}: this file was already imported`,
  );
}

/**
 * `treasury check`: outstanding entitlement against the treasury balance; raises or clears the alarm.
 *
 * @example process.exitCode = (await treasuryCheck(context)) ? 0 : 1;
 */
export async function treasuryCheck(context: LedgerCommandContext): Promise<boolean> {
  const chain = await context.chain();
  const coverage = await checkTreasuryCoverage(context.db, {
    client: chain.client,
    treasury: chain.treasury,
    settlement: chain.settlement,
  });
  context.log(coverage.message);
  return coverage.ok;
}

/**
 * `api-key create-admin | create <name> --scopes a,b | list | revoke <id|prefix>`. A new key is printed once.
 *
 * @example await apiKeyCommand(context, ['create-admin'], {});
 */
export async function apiKeyCommand(
  context: LedgerCommandContext,
  args: string[],
  options: { scopes?: string | undefined },
): Promise<void> {
  const [action, name] = args;
  const printKey = (created: { id: number; key: string }) => {
    context.log(`API key ${created.id}: ${created.key}`);
    context.log('store it now: it is shown only once (only its hash is kept)');
  };
  if (action === 'create-admin') return printKey(await createFirstAdminKey(context.db, 'cli'));
  if (action === 'create' && name && options.scopes) {
    const scopes = options.scopes.split(',').map((s) => s.trim()) as ApiKeyScope[];
    return printKey(await createApiKey(context.db, { name, scopes, actor: 'cli' }));
  }
  if (action === 'list') {
    for (const k of await listApiKeys(context.db.query)) {
      const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
      context.log(`${k.id} ${k.prefix}… ${k.name} [${k.scopes.join(',')}] ${state}`);
    }
    return;
  }
  if (action === 'revoke' && name) {
    const key = /^[0-9]+$/.test(name) ? Number(name) : name;
    await revokeApiKey(context.db, { key, actor: 'cli' });
    return context.log(`revoked ${name}`);
  }
  throw new Error(
    `usage: api-key create-admin | create <name> --scopes ${API_KEY_SCOPES.join(',')} | list | revoke <id|prefix>`,
  );
}
