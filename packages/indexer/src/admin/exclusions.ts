// Viewer opt-outs (suppressions) and known bots, by Twitch user id: added, removed and listed by operators, each change
// audited in the same transaction. Collectors (channels/exclusions.ts) and sealing read these tables.
import { InvalidArgumentError, parseLogin, parseTwitchUserId } from '@attention-oracle/core';
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';
import { audit } from '../audit.js';
import { requireActor, requireUserId } from '../ledger/inputs-internal.js';

/** A viewer who opted out: dropped at collection and excluded at sealing. */
export interface Suppression {
  readonly userId: bigint;
  readonly reason: string | null;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

/** A known bot: dropped at collection and excluded at sealing. */
export interface Bot {
  readonly userId: bigint;
  readonly login: string | null;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

/** What an add did: `added` false when the user id was already listed (`entry` is then the existing row). */
export interface AddedExclusion<T> {
  readonly added: boolean;
  readonly entry: T;
}

/** A page of a list, by ascending user id. */
export interface ExclusionListOptions {
  /** At most this many (1-1000, default 100). */
  readonly limit?: number;
  /** Only user ids above this one (the last of the previous page). */
  readonly after?: bigint;
}

type ListName = 'suppressions' | 'bots';

/** The table, its note column (reason or login) and the audit action prefix of each list. */
const LISTS = {
  suppressions: { table: sql.raw('suppressions'), note: sql.raw('reason'), action: 'suppression' },
  bots: { table: sql.raw('bots'), note: sql.raw('login'), action: 'bot' },
} as const;

interface Row {
  /** The user id as text (named apart from the column so `order by user_id` sorts numerically). */
  id: string;
  note: string | null;
  created_by: string | null;
  created_at: Date | string;
}

const toSuppression = (row: Row): Suppression => ({
  userId: BigInt(row.id),
  reason: row.note,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
});

const toBot = (row: Row): Bot => ({
  userId: BigInt(row.id),
  login: row.note,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
});

const COLUMNS = (list: ListName) => sql`user_id::text as id, ${LISTS[list].note} as note, created_by, created_at`;

async function addEntry(
  db: DatabaseHandle,
  list: ListName,
  userId: bigint,
  note: string | null,
  actor: string,
): Promise<{ added: boolean; row: Row }> {
  const { table, note: noteColumn, action } = LISTS[list];
  return db.transaction(async (query) => {
    const [inserted] = await query<Row>(sql`
      insert into ${table} (user_id, ${noteColumn}, created_by) values (${userId.toString()}::bigint, ${note}, ${actor})
      on conflict (user_id) do nothing returning ${COLUMNS(list)}`);
    if (inserted === undefined) {
      const [existing] = await query<Row>(
        sql`select ${COLUMNS(list)} from ${table} where user_id = ${userId.toString()}::bigint`,
      );
      if (existing === undefined) throw new Error(`${list}: user ${userId} neither inserted nor found`);
      return { added: false, row: existing };
    }
    await audit(query, actor, `${action}.added`, userId.toString(), { [list === 'bots' ? 'login' : 'reason']: note });
    return { added: true, row: inserted };
  });
}

async function removeEntry(db: DatabaseHandle, list: ListName, userId: bigint, actor: string): Promise<Row | null> {
  const { table, action } = LISTS[list];
  return db.transaction(async (query) => {
    const [removed] = await query<Row>(
      sql`delete from ${table} where user_id = ${userId.toString()}::bigint returning ${COLUMNS(list)}`,
    );
    if (removed === undefined) return null;
    await audit(query, actor, `${action}.removed`, userId.toString(), {
      [list === 'bots' ? 'login' : 'reason']: removed.note,
      addedBy: removed.created_by,
    });
    return removed;
  });
}

async function listEntries(query: RawQuery, list: ListName, options: ExclusionListOptions): Promise<Row[]> {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new InvalidArgumentError(`limit must be an integer from 1 to 1000, got ${limit}`);
  }
  const after = options.after === undefined ? sql`` : sql`where user_id > ${options.after.toString()}::bigint`;
  return query<Row>(
    sql`select ${COLUMNS(list)} from ${LISTS[list].table} ${after} order by user_id limit ${limit}::int`,
  );
}

/**
 * Opts a viewer out by user id (a no-op when already opted out: the first reason stays). Audited as
 * `suppression.added`. Collectors drop the viewer's lines from their next refresh; sealing excludes them.
 *
 * @example await addSuppression(db, { userId: 123n, reason: 'asked by email (ticket 42)', actor: 'api-key:ops' });
 */
export async function addSuppression(
  db: DatabaseHandle,
  input: { userId: bigint; reason: string; actor: string },
): Promise<AddedExclusion<Suppression>> {
  const userId = requireUserId(input.userId);
  const actor = requireActor(input.actor);
  if (typeof input.reason !== 'string' || input.reason.trim().length === 0 || input.reason.length > 500) {
    throw new InvalidArgumentError('a suppression needs a reason of 1-500 characters');
  }
  const { added, row } = await addEntry(db, 'suppressions', userId, input.reason, actor);
  return { added, entry: toSuppression(row) };
}

/**
 * Removes a viewer's opt-out; returns what was removed, or null when the user id was not opted out. Audited as
 * `suppression.removed`.
 *
 * @example if (!(await removeSuppression(db, { userId: 123n, actor: 'cli' }))) console.log('not suppressed');
 */
export async function removeSuppression(
  db: DatabaseHandle,
  input: { userId: bigint; actor: string },
): Promise<Suppression | null> {
  const row = await removeEntry(db, 'suppressions', requireUserId(input.userId), requireActor(input.actor));
  return row === null ? null : toSuppression(row);
}

/**
 * Opted-out viewers by ascending user id, a page at a time.
 *
 * @example const page = await listSuppressions(db.query, { limit: 50, after: 1000n });
 */
export async function listSuppressions(query: RawQuery, options: ExclusionListOptions = {}): Promise<Suppression[]> {
  return (await listEntries(query, 'suppressions', options)).map(toSuppression);
}

/**
 * Lists a user id as a bot, with its login when known (a no-op when already listed). Audited as `bot.added`.
 *
 * @example await addBot(db, { userId: 100135110n, login: 'streamelements', actor: 'api-key:ops' });
 */
export async function addBot(
  db: DatabaseHandle,
  input: { userId: bigint; login?: string | null; actor: string },
): Promise<AddedExclusion<Bot>> {
  const userId = requireUserId(input.userId);
  const actor = requireActor(input.actor);
  const login = input.login === undefined || input.login === null ? null : parseLogin(input.login);
  const { added, row } = await addEntry(db, 'bots', userId, login, actor);
  return { added, entry: toBot(row) };
}

/**
 * Removes a user id from the bots; returns what was removed, or null when it was not listed. Audited as
 * `bot.removed`.
 *
 * @example await removeBot(db, { userId: 100135110n, actor: 'cli' });
 */
export async function removeBot(db: DatabaseHandle, input: { userId: bigint; actor: string }): Promise<Bot | null> {
  const row = await removeEntry(db, 'bots', requireUserId(input.userId), requireActor(input.actor));
  return row === null ? null : toBot(row);
}

/**
 * Known bots by ascending user id, a page at a time.
 *
 * @example for (const bot of await listBots(db.query)) console.log(bot.userId, bot.login);
 */
export async function listBots(query: RawQuery, options: ExclusionListOptions = {}): Promise<Bot[]> {
  return (await listEntries(query, 'bots', options)).map(toBot);
}

const USAGE = {
  suppressions: 'usage: suppressions add <userId> --reason "<why>" | remove <userId> | list [--limit n]',
  bots: 'usage: bots add <userId> [login] | remove <userId> | list [--limit n]',
} as const;

/**
 * The CLI's `suppressions add|remove|list` and `bots add|remove|list`, as the actor `cli`; a bad command line throws
 * its usage.
 *
 * @example await exclusionsCommand({ db, log: console.log }, 'bots', ['add', '100135110', 'streamelements'], {});
 */
export async function exclusionsCommand(
  context: { readonly db: DatabaseHandle; readonly log: (line: string) => void },
  list: ListName,
  args: readonly string[],
  options: { reason?: string | undefined; limit?: string | undefined },
): Promise<void> {
  const [action, user, login, ...extra] = args;
  const usage = () => new Error(USAGE[list]);
  const userId = (): bigint => {
    if (user === undefined || !/^[1-9][0-9]{0,18}$/.test(user)) throw usage();
    return BigInt(parseTwitchUserId(user));
  };
  const { db, log } = context;
  if (action === 'add' && extra.length === 0) {
    if (list === 'suppressions') {
      if (login !== undefined || !options.reason) throw usage();
      const { added, entry } = await addSuppression(db, { userId: userId(), reason: options.reason, actor: 'cli' });
      return log(added ? `suppressed ${entry.userId}` : `${entry.userId} was already suppressed (${entry.reason})`);
    }
    const { added, entry } = await addBot(db, { userId: userId(), login, actor: 'cli' });
    return log(added ? `listed ${entry.userId} as a bot` : `${entry.userId} was already listed as a bot`);
  }
  if (action === 'remove' && login === undefined) {
    const removed =
      list === 'suppressions'
        ? await removeSuppression(db, { userId: userId(), actor: 'cli' })
        : await removeBot(db, { userId: userId(), actor: 'cli' });
    const what = list === 'suppressions' ? 'suppressed' : 'listed as a bot';
    return log(removed ? `${removed.userId} is no longer ${what}` : `${user} was not ${what}`);
  }
  if (action === 'list' && user === undefined) {
    if (options.limit !== undefined && !/^[1-9][0-9]{0,3}$/.test(options.limit)) throw usage();
    const limit = options.limit === undefined ? 1000 : Number(options.limit);
    const rows =
      list === 'suppressions'
        ? (await listSuppressions(db.query, { limit })).map((s) => [s.userId, s.reason, s.createdBy, s.createdAt])
        : (await listBots(db.query, { limit })).map((b) => [b.userId, b.login, b.createdBy, b.createdAt]);
    if (rows.length === 0) return log(list === 'suppressions' ? 'no suppressions' : 'no bots');
    for (const [id, note, by, at] of rows) {
      log(`${id}\t${note ?? '-'}\t${by ?? '-'}\t${(at as Date).toISOString()}`);
    }
    return;
  }
  throw usage();
}
