// Fuzz: 10,000 random and malformed requests spread over every tRPC procedure, every REST operation of the OpenAPI
// document, the plain proof route and the auth routes, with and without a session, CSRF token or admin key. None may
// answer 5xx; every rejection is a typed 4xx with a message.
import { base58Encode } from '@attention-oracle/core';
import type { DatabaseHandle } from '@attention-oracle/db';
import { TEST_BACKENDS } from '@attention-oracle/db/testing';
import { createFirstAdminKey } from '@attention-oracle/indexer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../../src/routers/app.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer, storeRoot, testEnv, wallet } from '../helpers.js';
import { type JsonSchema, malformedText, nastyValue, useKnownValues, valueFor } from './fuzz-inputs.js';

const REQUESTS = 10_000;
const CONCURRENCY = 16;

interface Target {
  readonly name: string;
  /** A random request for this target. */
  readonly request: fc.Arbitrary<Omit<FuzzRequest, 'headers'>>;
  /** Subscriptions stream: read the status, then hang up. */
  readonly stream?: boolean;
}

interface FuzzRequest {
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
}

interface Outcome {
  request: FuzzRequest;
  status: number;
  problem: string;
}

const json = (value: unknown) => JSON.stringify(value) ?? 'null';
/** encodeURIComponent that accepts lone surrogates (as U+FFFD, like a browser would send them). */
const encode = (text: string) => encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** One target per tRPC procedure: GET with ?input= for queries and subscriptions, POST for mutations, some batched. */
function trpcTargets(): Target[] {
  const procedures = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureShape> } })._def.procedures;
  return Object.entries(procedures).map(([path, procedure]) => {
    const schema = inputSchema(procedure);
    const input = fc.oneof(
      { arbitrary: valueFor(schema).map(json), weight: 5 },
      { arbitrary: malformedText, weight: 1 },
    );
    const type = procedure._def.type;
    const request =
      type === 'mutation'
        ? input.map((body) => ({ method: 'POST', path: `/trpc/${path}`, body }))
        : fc.oneof(
            input.map((text) => ({ method: 'GET', path: `/trpc/${path}?${query({ input: text })}` })),
            input.map((text) => ({
              method: 'GET',
              path: `/trpc/${path},${path}?${query({ batch: '1', input: `{"0":${text},"1":${text}}` })}`,
            })),
            fc.constant({ method: 'POST', path: `/trpc/${path}`, body: '{}' }),
          );
    return { name: `trpc ${path}`, request, stream: type === 'subscription' };
  });
}

interface ProcedureShape {
  _def: { type: 'query' | 'mutation' | 'subscription'; inputs: z.ZodType[] };
}

function inputSchema(procedure: ProcedureShape): JsonSchema | undefined {
  const parser = procedure._def.inputs[0];
  if (parser === undefined) return undefined;
  return z.toJSONSchema(parser, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
}

interface OpenApiOperation {
  parameters?: { name: string; in: 'path' | 'query'; schema?: JsonSchema }[];
  requestBody?: { content?: { 'application/json'?: { schema?: JsonSchema } } };
}

/** One target per REST operation of the OpenAPI document. */
function restTargets(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Target[] {
  const targets: Target[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      const values = Object.fromEntries(
        parameters.map((p) => [
          p.name,
          valueFor(p.schema, 0, p.name).map((v) => (typeof v === 'string' ? v : json(v))),
        ]),
      );
      const body = operation.requestBody?.content?.['application/json']?.schema;
      const request = fc
        .tuple(
          fc.record(values, { requiredKeys: parameters.filter((p) => p.in === 'path').map((p) => p.name) }),
          fc.oneof({ arbitrary: valueFor(body).map(json), weight: 4 }, { arbitrary: malformedText, weight: 1 }),
        )
        .map(([params, text]) => {
          let path = template;
          const search: Record<string, string> = {};
          for (const p of parameters) {
            const value = (params as Record<string, string | undefined>)[p.name];
            if (value === undefined) continue;
            if (p.in === 'path') path = path.replace(`{${p.name}}`, encode(value));
            else search[p.name] = value;
          }
          const upper = method.toUpperCase();
          const qs = query(search);
          return {
            method: upper,
            path: qs === '' ? path : `${path}?${qs}`,
            ...(upper === 'GET' ? {} : { body: text }),
          };
        });
      targets.push({ name: `rest ${method.toUpperCase()} ${template}`, request });
    }
  }
  return targets;
}

/** The plain proof route and the auth routes (plain HTTP handlers). */
function plainTargets(): Target[] {
  const text = fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('1', '0', '-1', wallet(1).base58, '%2F'));
  const body = fc.oneof(
    { arbitrary: valueFor(undefined).map(json), weight: 1 },
    { arbitrary: malformedText, weight: 1 },
  );
  const walletish = fc.oneof(
    fc.constant(wallet(1).base58),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map(base58Encode),
    nastyValue,
  );
  return [
    {
      name: 'plain proof',
      request: fc
        .tuple(text, text)
        .map(([seq, w]) => ({ method: 'GET', path: `/v1/proofs/${encode(seq)}/${encode(w)}` })),
    },
    {
      name: 'auth dev-login',
      request: fc
        .oneof(fc.record({ userId: nastyValue, login: nastyValue }).map(json), body)
        .map((b) => ({ method: 'POST', path: '/auth/dev-login', body: b })),
    },
    {
      name: 'auth callback',
      request: fc
        .record({ code: text, state: text })
        .map((q) => ({ method: 'GET', path: `/auth/callback?${query(q)}` })),
    },
    { name: 'auth login', request: fc.constant({ method: 'GET', path: '/auth/login' }) },
    { name: 'auth me', request: fc.constant({ method: 'GET', path: '/auth/me' }) },
    { name: 'auth logout', request: body.map((b) => ({ method: 'POST', path: '/auth/logout', body: b })) },
    {
      name: 'wallets challenge',
      request: fc
        .oneof(fc.record({ wallet: walletish }).map(json), body)
        .map((b) => ({ method: 'POST', path: '/wallets/challenge', body: b })),
    },
    {
      name: 'wallets bind',
      request: fc
        .oneof(fc.record({ wallet: walletish, signature: nastyValue, nonce: nastyValue }).map(json), body)
        .map((b) => ({ method: 'POST', path: '/wallets/bind', body: b })),
    },
    { name: 'wallets', request: fc.constant({ method: 'GET', path: '/wallets' }) },
  ];
}

/** Why a response is not an acceptable answer, or null when it is. */
async function problemOf(response: Response, stream: boolean): Promise<string | null> {
  if (response.status >= 500) return `status ${response.status}: ${(await response.text()).slice(0, 300)}`;
  if (stream && response.status < 300) return null;
  const text = await response.text();
  if (/\bat .*\.(ts|js):\d+|stack|select |insert into/i.test(text)) return `leaks internals: ${text.slice(0, 300)}`;
  if (response.status < 400) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `4xx body is not JSON: ${text.slice(0, 200)}`;
  }
  const first = Array.isArray(body) ? body.find((item) => item?.error !== undefined) : body;
  const error = (first as { error?: { message?: unknown; data?: { code?: unknown }; code?: unknown } })?.error;
  const rest = first as { message?: unknown; code?: unknown };
  const message = error?.message ?? rest?.message;
  const code = error?.data?.code ?? error?.code ?? rest?.code;
  if (typeof message !== 'string' || message.length === 0) return `4xx without a message: ${text.slice(0, 200)}`;
  if (typeof code !== 'string' || code.length === 0) return `4xx without a code: ${text.slice(0, 200)}`;
  return null;
}

describe.each(TEST_BACKENDS)('fuzz over every route (%s)', (_name, open) => {
  let db: DatabaseHandle;
  let drop = async () => {};
  let server: RunningServer;
  let credentials: Record<string, string>[] = [];

  beforeAll(async () => {
    ({ handle: db, drop } = await open());
    await storeRoot(db, {
      seq: 1n,
      amounts: new Map([
        [1, 500n],
        [2, 70n],
      ]),
    });
    server = await startTestServer(db, testEnv({ MAX_BODY_BYTES: '4096' }));
    const login = await fetch(`${server.url}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({ userId: '42', login: 'fuzzer' }),
    });
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    const csrf = cookies.find((c) => c.startsWith('ao_csrf='))?.slice('ao_csrf='.length) ?? '';
    const admin = await createFirstAdminKey(db, 'fuzz');
    useKnownValues({
      wallet: [wallet(1).base58, wallet(2).base58],
      login: ['fuzzer'],
      userId: ['42'],
      seq: ['1', 1],
      channel: ['fuzzchannel'],
    });
    credentials = [
      {},
      { cookie: cookies.join('; '), 'x-csrf-token': csrf },
      { cookie: cookies.join('; '), 'x-csrf-token': 'wrong' },
      { cookie: 'ao_session=garbage.garbage; ao_csrf=x', 'x-csrf-token': 'x' },
      { authorization: `Bearer ${admin.key}` },
      { authorization: 'Bearer ao_nonsense' },
      { authorization: 'Basic Zm9vOmJhcg==' },
    ];
  });
  afterAll(async () => {
    await server?.close();
    await drop();
  });

  it(`answers ${REQUESTS} random requests without a 5xx, every rejection a typed 4xx`, async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as Parameters<typeof restTargets>[0];
    const targets = [...trpcTargets(), ...restTargets(document), ...plainTargets()];
    const seed = Number(process.env.FUZZ_SEED ?? 20261125);
    const requests = fc.sample(
      fc.tuple(fc.nat({ max: targets.length - 1 }), fc.nat({ max: credentials.length - 1 }), fc.nat()),
      { numRuns: REQUESTS, seed },
    );
    const hits = new Map<string, number>();
    const problems: Outcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const [targetIndex, credentialIndex, sampleSeed] = requests[next++] as [number, number, number];
        const target = targets[targetIndex] as Target;
        const [shape] = fc.sample(target.request, { numRuns: 1, seed: sampleSeed });
        const request: FuzzRequest = {
          ...(shape as Omit<FuzzRequest, 'headers'>),
          headers: {
            ...(credentials[credentialIndex] ?? {}),
            ...(sampleSeed % 7 === 0 ? { 'content-type': 'text/plain' } : { 'content-type': 'application/json' }),
          },
        };
        hits.set(target.name, (hits.get(target.name) ?? 0) + 1);
        const controller = new AbortController();
        const response = await fetch(`${server.url}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: controller.signal,
          redirect: 'manual',
        });
        const problem = await problemOf(response, target.stream === true);
        if (target.stream) controller.abort();
        if (problem !== null) problems.push({ request, status: response.status, problem });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(problems.slice(0, 5), `${problems.length} bad answers (seed ${seed})`).toEqual([]);
    // Every target was exercised.
    expect(targets.filter((t) => (hits.get(t.name) ?? 0) === 0).map((t) => t.name)).toEqual([]);
  }, 300_000);
});
