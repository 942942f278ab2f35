import { createPrivateKey, sign } from 'node:crypto';
import { base58Decode, base58Encode } from '@attention-oracle/core';
import { activeWallet } from '@attention-oracle/indexer';
import { Keypair } from '@solana/web3.js';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, useAuthDatabase } from './fixtures.js';
import { browse, CookieJar, type Harness, post, startHarness } from './harness.js';

/** The ed25519 signature of `message` by `keypair`, as the wallet would produce it. */
function signMessage(keypair: Keypair, message: string): Uint8Array {
  const key = createPrivateKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(keypair.secretKey.slice(0, 32)).toString('base64url'),
      x: Buffer.from(keypair.publicKey.toBytes()).toString('base64url'),
    },
    format: 'jwk',
  });
  return new Uint8Array(sign(null, Buffer.from(message, 'utf8'), key));
}

interface Challenge {
  message: string;
  nonce: string;
  expiresAt: string;
}

describe.each(backends)('wallet binding on %s', (_, open) => {
  const db = useAuthDatabase(open);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;
  const start = async (rateLimits?: Parameters<typeof startHarness>[0]['rateLimits']) => {
    h = await startHarness({ db: db(), twitch: false, ...(rateLimits ? { rateLimits } : {}) });
    return h;
  };
  const viewer = async (h: Harness, userId: string) => {
    const jar = new CookieJar();
    expect((await post(h, jar, '/auth/dev-login', { userId, login: `viewer_${userId}` })).status).toBe(200);
    return jar;
  };
  const challenge = async (h: Harness, jar: CookieJar, keypair: Keypair): Promise<Challenge> => {
    const response = await post(h, jar, '/wallets/challenge', { wallet: keypair.publicKey.toBase58() });
    expect(response.status).toBe(200);
    return (await response.json()) as Challenge;
  };
  const bind = (h: Harness, jar: CookieJar, keypair: Keypair, signature: Uint8Array, nonce?: string) =>
    post(h, jar, '/wallets/bind', {
      wallet: keypair.publicKey.toBase58(),
      signature: base58Encode(signature),
      ...(nonce === undefined ? {} : { nonce }),
    });

  it('binds a wallet that signed its challenge, keeps history and one active wallet', async () => {
    const h = await start();
    const jar = await viewer(h, '500');
    const first = Keypair.generate();
    const c1 = await challenge(h, jar, first);
    expect(c1.message).toContain('claim.test');
    expect(c1.message).toContain(`Wallet: ${first.publicKey.toBase58()}`);
    expect(c1.message).toContain('Twitch user id: 500');
    expect(c1.message).toContain(`Nonce: ${c1.nonce}`);
    expect(Date.parse(c1.expiresAt) - h.clock.ms).toBe(300_000);
    const bound = await bind(h, jar, first, signMessage(first, c1.message));
    expect(bound.status).toBe(200);
    expect(await bound.json()).toMatchObject({ wallet: first.publicKey.toBase58(), first: true, movedCredit: '0' });
    expect((await activeWallet(db().query, 500n))?.wallet).toEqual(first.publicKey.toBytes());

    // A second wallet, signature in base64 this time: the first binding ends, history keeps both.
    const second = Keypair.generate();
    const c2 = await challenge(h, jar, second);
    const rebound = await post(h, jar, '/wallets/bind', {
      wallet: second.publicKey.toBase58(),
      signature: Buffer.from(signMessage(second, c2.message)).toString('base64'),
    });
    expect(rebound.status).toBe(200);
    const list = (await (await browse(jar, `${h.base}/wallets`)).json()) as {
      active: string;
      history: { wallet: string; via: string; unboundAt: string | null }[];
    };
    expect(list.active).toBe(second.publicKey.toBase58());
    expect(list.history.map((b) => [b.wallet, b.via, b.unboundAt === null])).toEqual([
      [first.publicKey.toBase58(), 'signature', false],
      [second.publicKey.toBase58(), 'signature', true],
    ]);
  });

  it('rejects a replayed challenge', async () => {
    const h = await start();
    const jar = await viewer(h, '500');
    const keypair = Keypair.generate();
    const c = await challenge(h, jar, keypair);
    const signature = signMessage(keypair, c.message);
    expect((await bind(h, jar, keypair, signature)).status).toBe(200);
    const replay = await bind(h, jar, keypair, signature);
    expect(replay.status).toBe(400);
    expect(await errorOf(replay)).toMatchObject({ code: 'CHALLENGE_UNKNOWN' });
    const replayByNonce = await bind(h, jar, keypair, signature, c.nonce);
    expect(replayByNonce.status).toBe(400);
  });

  it('rejects a wrong signature, and the challenge is then spent', async () => {
    const h = await start();
    const jar = await viewer(h, '500');
    const keypair = Keypair.generate();
    const c = await challenge(h, jar, keypair);
    const otherKey = await bind(h, jar, keypair, signMessage(Keypair.generate(), c.message));
    expect(otherKey.status).toBe(400);
    expect(await errorOf(otherKey)).toMatchObject({ code: 'SIGNATURE_INVALID' });
    const c2 = await challenge(h, jar, keypair);
    const otherText = await bind(h, jar, keypair, signMessage(keypair, c2.message.replace('500', '501')));
    expect(await errorOf(otherText)).toMatchObject({ code: 'SIGNATURE_INVALID' });
    const late = await bind(h, jar, keypair, signMessage(keypair, c2.message));
    expect(await errorOf(late)).toMatchObject({ code: 'CHALLENGE_UNKNOWN' });
    expect(await activeWallet(db().query, 500n)).toBeNull();
  });

  it('rejects an expired challenge', async () => {
    const h = await start();
    const jar = await viewer(h, '500');
    const keypair = Keypair.generate();
    const c = await challenge(h, jar, keypair);
    h.clock.ms += 300_001;
    const response = await bind(h, jar, keypair, signMessage(keypair, c.message));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'CHALLENGE_EXPIRED' });
    expect(await activeWallet(db().query, 500n)).toBeNull();
  });

  it("rejects another viewer's challenge and leaves it to its owner", async () => {
    const h = await start();
    const alice = await viewer(h, '500');
    const mallory = await viewer(h, '666');
    const keypair = Keypair.generate();
    const c = await challenge(h, alice, keypair);
    const signature = signMessage(keypair, c.message);
    const stolen = await bind(h, mallory, keypair, signature, c.nonce);
    expect(stolen.status).toBe(403);
    expect(await errorOf(stolen)).toMatchObject({ code: 'CHALLENGE_FORBIDDEN' });
    const noOwn = await bind(h, mallory, keypair, signature);
    expect(await errorOf(noOwn)).toMatchObject({ code: 'CHALLENGE_UNKNOWN' });
    expect(await activeWallet(db().query, 666n)).toBeNull();
    expect((await bind(h, alice, keypair, signature, c.nonce)).status).toBe(200);
  });

  it('rejects a signature for a wallet other than the challenged one', async () => {
    const h = await start();
    const jar = await viewer(h, '500');
    const challenged = Keypair.generate();
    const other = Keypair.generate();
    const c = await challenge(h, jar, challenged);
    const response = await bind(h, jar, other, signMessage(other, c.message));
    expect(await errorOf(response)).toMatchObject({ code: 'CHALLENGE_MISMATCH' });
  });

  it('requires a session and the CSRF token, and validates inputs', async () => {
    const h = await start();
    const wallet = Keypair.generate().publicKey.toBase58();
    const anonymous = await post(h, new CookieJar(), '/wallets/challenge', { wallet });
    expect(anonymous.status).toBe(401);
    const jar = await viewer(h, '500');
    const noCsrf = await post(h, jar, '/wallets/challenge', { wallet }, null);
    expect(noCsrf.status).toBe(403);
    expect((await errorOf(noCsrf)).message).toMatch(/x-csrf-token/);
    const wrongCsrf = await post(h, jar, '/wallets/bind', { wallet, signature: 'x' }, 'forged');
    expect(await errorOf(wrongCsrf)).toMatchObject({ code: 'CSRF_FAILED' });
    const badWallet = await post(h, jar, '/wallets/challenge', { wallet: 'not-a-wallet' });
    expect(badWallet.status).toBe(400);
    expect((await errorOf(badWallet)).message).toMatch(/wallet/);
    const shortSig = await post(h, jar, '/wallets/bind', { wallet, signature: base58Encode(new Uint8Array(63)) });
    expect(shortSig.status).toBe(400);
    expect((await errorOf(shortSig)).message).toMatch(/64 bytes/);
    const huge = await post(h, jar, '/wallets/challenge', { wallet: 'x'.repeat(10_000) });
    expect(huge.status).toBe(413);
    expect(base58Decode(wallet)).toHaveLength(32);
  });

  it('rate-limits per viewer with 429 and Retry-After, without limiting other viewers', async () => {
    const h = await start({ walletPerViewer: { capacity: 2, refillPerSecond: 1 / 30 } });
    const jar = await viewer(h, '500');
    const keypair = Keypair.generate();
    await challenge(h, jar, keypair);
    await challenge(h, jar, keypair);
    const limited = await post(h, jar, '/wallets/challenge', { wallet: keypair.publicKey.toBase58() });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(await errorOf(limited)).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await challenge(h, await viewer(h, '501'), keypair);
  });

  it('rate-limits per IP across viewers', async () => {
    const h = await start({ walletPerIp: { capacity: 3, refillPerSecond: 1 } });
    const keypair = Keypair.generate();
    const statuses = [];
    for (const id of ['1', '2', '3', '4']) {
      const jar = await viewer(h, id);
      statuses.push((await post(h, jar, '/wallets/challenge', { wallet: keypair.publicKey.toBase58() })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
